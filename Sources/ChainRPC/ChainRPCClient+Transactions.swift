// Purse ChainRPC module: a mined transaction's input and receipt.

import PurseCore

extension ChainRPCClient {
    /// The mined transaction `hash` with its receipt (`eth_getTransactionByHash` and
    /// `eth_getTransactionReceipt`), or nil when the node knows none or it is not mined yet.
    public func minedTransaction(_ hash: String) async throws(ChainRPCError) -> ChainTransaction? {
        let bytes = try EthHex.word(hash, "the transaction hash")
        let hex = Hex.encode(bytes)
        let tx = try await request("eth_getTransactionByHash", [.string(hex)])
        if tx.isNull { return nil }
        guard let input = EthHex.parseData(tx["input"]) else { throw .badResponse("eth_getTransactionByHash returned no input") }
        let receipt = try await request("eth_getTransactionReceipt", [.string(hex)])
        if receipt.isNull { return nil }
        guard let status = EthHex.parseQuantity(receipt["status"]), let entries = receipt["logs"]?.arrayValue else {
            throw .badResponse("eth_getTransactionReceipt returned no status or logs")
        }
        var logs: [ChainLog] = []
        for (i, entry) in entries.enumerated() {
            guard let log = Self.parseLog(entry) else { throw .badResponse("receipt log \(i) is malformed") }
            logs.append(log)
        }
        return ChainTransaction(hash: hex, input: input, succeeded: status == 1, logs: logs)
    }
}
