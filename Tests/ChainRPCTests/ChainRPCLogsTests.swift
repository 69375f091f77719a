import HTTP
import PurseCore
import Testing
@testable import ChainRPC

/// Topic 0 of `AuthorizationUsed(address,bytes32)`, pinned as a literal rather than read from
/// the code under test: computed independently with Python's eth-utils,
/// `eth_utils.keccak(text="AuthorizationUsed(address,bytes32)").hex()`.
let authorizationUsedTopic0 = "0x98de503528ee59b575ef0c0a2576a82497bfc029a5685b209e9ec333479b10a5"
let txHash = "0x" + String(repeating: "ab", count: 32)
let otherTx = "0x" + String(repeating: "cd", count: 32)

/// One log object as a node would send it.
func logJSON(
    address: String = usdc, topics: [String], data: String = "0x", tx: String = txHash,
    block: String = "0x10", removed: Bool = false
) -> String {
    let list = topics.map { "\"\($0)\"" }.joined(separator: ",")
    return #"{"address":"\#(address)","topics":[\#(list)],"data":"\#(data)","blockNumber":"\#(block)","transactionHash":"\#(tx)","transactionIndex":"0x0","blockHash":"\#(otherTx)","logIndex":"0x3","removed":\#(removed)}"#
}

@Suite struct ChainRPCLogsTests {
    @Test func getLogsSendsTheFilterAndParsesLogs() async throws {
        let topic0 = authorizationUsedTopic0
        let http = fakeNode(result: "[\(logJSON(topics: [topic0, payerWord], data: "0x0102"))]")
        let rpc = ChainRPCClient(url: nodeURL, http: http)
        let logs = try await rpc.getLogs(address: usdc, topics: [topic0, nil, nonceHex.uppercased().replacingOccurrences(of: "0X", with: "0x")], fromBlock: "0x5", toBlock: "latest")
        #expect(sentBody(http) == #"{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"address":"\#(usdcLower)","topics":["\#(topic0)",null,"\#(nonceHex)"],"fromBlock":"0x5","toBlock":"latest"}]}"#)
        #expect(logs == [ChainLog(address: usdcLower, topics: [topic0, payerWord], data: [1, 2], transactionHash: txHash, blockNumber: 16, logIndex: 3, removed: false)])
    }

    @Test func emptyLogListIsEmpty() async throws {
        let logs = try await ChainRPCClient(url: nodeURL, http: fakeNode(result: "[]")).getLogs(address: usdc, topics: [], fromBlock: "0x0", toBlock: "0x1")
        #expect(logs.isEmpty)
    }

    @Test(arguments: [
        "{}",
        #""0x""#,
        "[\(logJSON(topics: ["0x01"]))]",
        "[\(logJSON(address: "0x1234", topics: []))]",
        "[\(logJSON(topics: [], tx: "0x12"))]",
        "[\(logJSON(topics: [], block: "16"))]",
        #"[{"address":"\#(usdc)","topics":[],"data":"0x","transactionHash":"\#(txHash)","blockNumber":null}]"#,
    ])
    func malformedLogsAreBadResponses(result: String) async {
        let e = await rpcFailure { () async throws(ChainRPCError) in
            try await ChainRPCClient(url: nodeURL, http: fakeNode(result: result)).getLogs(address: usdc, topics: [], fromBlock: "0x0", toBlock: "latest")
        }
        #expect(e?.code == "rpc.bad_response")
    }

    @Test func findAuthorizationUsedQueriesTheEventAndReturnsItsTransaction() async throws {
        let topics = [authorizationUsedTopic0, payerWord, nonceHex]
        let http = fakeNode(result: "[\(logJSON(topics: topics))]")
        let rpc = ChainRPCClient(url: nodeURL, http: http)
        let found = try await rpc.findAuthorizationUsed(token: usdc, authorizer: payer, nonce: nonce, fromBlock: 26)
        #expect(found == txHash)
        #expect(sentBody(http) == #"{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"address":"\#(usdcLower)","topics":["\#(authorizationUsedTopic0)","\#(payerWord)","\#(nonceHex)"],"fromBlock":"0x1a","toBlock":"latest"}]}"#)
    }

    @Test func findAuthorizationUsedIsNilWhenNothingIsLogged() async throws {
        let http = fakeNode(result: "[]")
        let found = try await ChainRPCClient(url: nodeURL, http: http).findAuthorizationUsed(token: usdc, authorizer: payer, nonce: nonce)
        #expect(found == nil)
        #expect(sentBody(http).contains(#""fromBlock":"0x0""#))
    }

    @Test func findAuthorizationUsedSkipsRemovedAndUnrelatedLogs() async throws {
        let topics = [authorizationUsedTopic0, payerWord, nonceHex]
        let otherNonce = [authorizationUsedTopic0, payerWord, "0x" + String(repeating: "11", count: 32)]
        let otherToken = "0x" + String(repeating: "22", count: 20)
        let result = "[" + [
            logJSON(topics: topics, tx: "0x" + String(repeating: "01", count: 32), removed: true),
            logJSON(topics: otherNonce, tx: "0x" + String(repeating: "02", count: 32)),
            logJSON(address: otherToken, topics: topics, tx: "0x" + String(repeating: "03", count: 32)),
            logJSON(topics: topics, tx: otherTx),
        ].joined(separator: ",") + "]"
        let found = try await ChainRPCClient(url: nodeURL, http: fakeNode(result: result)).findAuthorizationUsed(token: usdc, authorizer: payer, nonce: nonce)
        #expect(found == otherTx)
    }
}
