import ChainRPC
import EVM
import Ledger
import PurseCore
import X402

/// Permit2: bit `nonce & 0xff` of `nonceBitmap(payer, nonce >> 8)`; the transaction is one whose
/// input carries the signed nonce and whose receipt has the token's `Transfer(payer → payTo)`.
///
/// Permit2 logs nothing per nonce, so the transaction is found through the transfer: the
/// seller's reported hash first, else the token's `Transfer(payer, payTo)` logs in the permit's
/// validity window (bounded, as public nodes require). A hash is
/// believed only when its input holds the nonce, so a seller cannot point reconcile at another
/// payment. For `upto` the charge is the sum of those transfers, read from the chain.
struct Permit2Probe: AuthorizationProbe {
    let rpc: ChainRPCClient
    /// Seconds of chain clock skew allowed on each side of the window when searching logs.
    let skew: Int64
    /// Candidate transactions looked at when searching logs, newest first.
    var searchLimit = 20

    func probe(_ row: PaymentRecord) async throws(ChainRPCError) -> ProbeResult {
        guard case let .permit2(nonce) = row.authorization, let token = row.asset.evmAddress, let payer = row.payer.evmAddress,
              let payTo = row.payTo.evmAddress
        else { throw .invalidArgument("payment \(row.id) is not a Permit2 payment on an EVM chain") }
        let value = UInt256(bytes32: nonce.bytes)
        let used = try await rpc.permit2NonceUsed(permit2: Permit2Addresses.permit2, owner: payer, nonce: value)
        guard used else { return .unused }
        guard let found = try await transfer(row, nonce: nonce, token: token, payer: payer, payTo: payTo) else {
            return .used(transaction: nil, charge: nil)
        }
        var charge: SettledCharge?
        if let max = row.maxAmountAtomic {
            // More than the maximum cannot have moved through the proxy; a larger sum means
            // unrelated transfers shared the transaction, and the maximum is the honest bound.
            let atomic = min(found.amount, max)
            if let micros = Micros(atomic: atomic, decimals: row.decimals) {
                charge = SettledCharge(atomic: atomic, micros: micros, source: .chain,
                                       note: found.amount > max ? "the transaction moved \(found.amount) atomic units to the payee, more than the signed maximum" : nil)
            }
        }
        return .used(transaction: found.hash, charge: charge)
    }

    /// The transaction that used the nonce and what it moved from the payer to the payee.
    func transfer(_ row: PaymentRecord, nonce: Nonce32, token: Address, payer: Address, payTo: Address) async throws(ChainRPCError)
        -> (hash: String, amount: Int64)?
    {
        var candidates: [String] = []
        if let reported = row.txHash { candidates.append(reported) }
        let topics = [Hex.encode(ABI.transferTopic), Hex.encode(ABI.encode(payer)), Hex.encode(ABI.encode(payTo))]
        if let blocks = await LogWindow.blocks(rpc, row, skew: skew),
           let logs = try? await rpc.logs(address: token.lowercased, topics: topics, blocks: blocks) {
            for log in logs.reversed() where !candidates.contains(log.transactionHash) {
                candidates.append(log.transactionHash)
            }
        }
        for hash in candidates.prefix(searchLimit) {
            guard let tx = try await rpc.minedTransaction(hash), tx.succeeded, Self.contains(tx.input, nonce.bytes) else { continue }
            var total: Int64 = 0
            for log in tx.logs where !log.removed && log.address == token.lowercased && log.topics.starts(with: topics) {
                guard let v = UInt256(bytes32: Array(log.data.prefix(32))).uint64Value, let amount = Int64(exactly: v) else { continue }
                total = total.addingReportingOverflow(amount).overflow ? Int64.max : total + amount
            }
            return (tx.hash, total)
        }
        return nil
    }

    /// Whether `haystack` contains `needle` (the 32-byte nonce word, wherever the call nests it).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let first = needle[0]
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
