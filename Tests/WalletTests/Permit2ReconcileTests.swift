import ChainRPC
import EVM
import Foundation
import HTTP
import Ledger
import PurseCore
import PurseTesting
import Testing
@testable import Wallet

/// Reconcile dispatches on the row's authorization: a Permit2 row is asked through Permit2's
/// nonce bitmap, and an `upto` row is charged what its transaction moved.
@Suite struct Permit2ReconcileTests {
    static let nonce = try! Nonce32(bytes: [UInt8](repeating: 0x5a, count: 31) + [0x03])   // bit 3 of its word
    static let tx = "0x" + String(repeating: "ef", count: 32)
    static let otherTx = "0x" + String(repeating: "12", count: 32)

    /// A node where the nonce is used by `tx`, which moved `moved` from the payer to the seller;
    /// `otherTx` moved 999 between the same accounts but for another nonce.
    static func node(used: Bool = true, moved: Int64 = 12_300) -> InMemoryHTTPClient {
        @Sendable func word(_ v: Int64) -> String { Hex.encode(UInt256(UInt64(v)).bytes32) }
        let pad = "0x000000000000000000000000"
        let topics: [JSONValue] = [.string(Hex.encode(ABI.transferTopic)), .string(pad + WalletFixture.payer.dropFirst(2).lowercased()),
                                   .string(pad + WalletFixture.seller.dropFirst(2).lowercased())]
        @Sendable func log(_ hash: String, _ value: Int64) -> JSONValue {
            ["address": .string(WalletFixture.token.lowercased()), "topics": .array(topics), "data": .string(word(value)),
             "transactionHash": .string(hash), "blockNumber": "0x5", "logIndex": "0x0", "removed": false]
        }
        return InMemoryHTTPClient { r throws(HTTPError) in
            let req = (try? JSONValue.parse(r.body ?? [])) ?? .null
            let params = req["params"]?.arrayValue ?? []
            var result: JSONValue = .null
            switch req["method"]?.stringValue {
            case "eth_call":
                let data = params.first?["data"]?.stringValue ?? ""
                #expect(data.hasPrefix("0x4fe02b44"), "only nonceBitmap is asked for a Permit2 row")
                result = .string("0x" + String(repeating: "0", count: 63) + (used ? "8" : "0"))
            case "eth_blockNumber":
                result = "0x10"
            case "eth_getBlockByNumber":
                // Every block is from now: the window (reservation − 15 min … deadline + 5 min) holds them all.
                result = ["timestamp": .string("0x" + String(UInt64(Date().timeIntervalSince1970), radix: 16))]
            case "eth_getLogs":
                #expect(params.first?["fromBlock"]?.stringValue == "0x0" && params.first?["toBlock"]?.stringValue == "0x10")
                result = [log(otherTx, 999), log(tx, moved)]
            case "eth_getTransactionByHash":
                let hash = params.first?.stringValue ?? ""
                let input = hash == tx ? "0xdeadbeef" + String(repeating: "00", count: 40) + Hex.encode(nonce.bytes, prefix: false) : "0xdeadbeef"
                result = ["hash": .string(hash), "input": .string(input)]
            case "eth_getTransactionReceipt":
                let hash = params.first?.stringValue ?? ""
                result = ["status": "0x1", "logs": [log(hash, hash == tx ? moved : 999)]]
            default: break
            }
            let body: JSONValue = ["jsonrpc": "2.0", "id": req["id"] ?? .integer(1), "result": result]
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: body.encodedBytes(),
                                truncated: false, redirectLocation: nil, effectiveURL: "")
        }
    }

    func upto(session: String, validBefore: Int64) -> NewPayment {
        NewPayment(sessionID: session, method: "GET", url: "http://seller.test/infer", host: HostName("seller.test"), network: "eip155:84532",
                   asset: .evm(WalletFixture.tokenAddress), assetSymbol: "USDC", decimals: 6, payTo: .evm(WalletFixture.sellerAddress),
                   amountAtomic: 50_000, micros: Micros(50_000), scheme: "upto", x402Version: 2, authorization: .permit2(nonce: Self.nonce),
                   validBefore: validBefore, payer: .evm(WalletFixture.payerAddress), maxAmountAtomic: 50_000)
    }

    /// This test's ledger directory, removed when the test ends.
    let dir: ScratchDirectory

    init() throws { dir = try ScratchDirectory("purse-rec2") }

    func ledger() throws -> (SQLiteLedger, String) {
        let ledger = try SQLiteLedger(path: dir.file("l.db"))
        return (ledger, try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date()).id)
    }

    @Test func anUnknownUptoRowIsChargedWhatTheChainMoved() async throws {
        let (ledger, s) = try ledger()
        let now = Date()
        let row = try ledger.reserve(upto(session: s, validBefore: Int64(now.timeIntervalSince1970) + 300), limits: .none, now: now)
        try ledger.markSent(id: row.id, now: now)
        try ledger.markUnknown(id: row.id, error: "timeout", httpStatus: nil, now: now)
        let report = await Reconciler(ledger: ledger, config: try WalletFixture.config(), http: Self.node()).run()
        #expect(report.settled == 1 && report.errors == 0, "\(report)")
        let after = try #require(try ledger.payment(id: row.id))
        #expect(after.status == .settled && after.txHash == Self.tx)
        #expect(after.amountAtomic == 12_300 && after.amountSource == .chain && after.maxAmountAtomic == 50_000)
        #expect(try ledger.usage(sessionID: s, host: nil, allHosts: false, now: now).sessionSpent == Micros(12_300))
    }

    @Test func aReceiptsMaximumIsReplacedByTheTransfer() async throws {
        let (ledger, s) = try ledger()
        let now = Date()
        let row = try ledger.reserve(upto(session: s, validBefore: Int64(now.timeIntervalSince1970) + 300), limits: .none, now: now)
        try ledger.markSent(id: row.id, now: now)
        // The seller claimed 0.09 (above the maximum): counted at 0.05, flagged.
        try ledger.markSettled(id: row.id, charge: SettledCharge(atomic: 50_000, micros: Micros(50_000), source: .maximum, note: "claimed 0.09"),
                               txHash: Self.otherTx, httpStatus: 200, now: now)
        let report = await Reconciler(ledger: ledger, config: try WalletFixture.config(), http: Self.node()).run()
        #expect(report.settled == 1, "\(report)")
        let after = try #require(try ledger.payment(id: row.id))
        // The seller's hash was not the one that used the nonce: the chain's is recorded.
        #expect(after.amountAtomic == 12_300 && after.amountSource == .chain && after.txHash == Self.tx)
    }

    @Test func anUnusedExpiredPermitIsReleased() async throws {
        let (ledger, s) = try ledger()
        let now = Date()
        let row = try ledger.reserve(upto(session: s, validBefore: Int64(now.timeIntervalSince1970) - 120), limits: .none, now: now)
        try ledger.markSent(id: row.id, now: now)
        let report = await Reconciler(ledger: ledger, config: try WalletFixture.config(), http: Self.node(used: false)).run()
        #expect(report.released == 1, "\(report)")
        #expect(try ledger.payment(id: row.id)?.status == .failed)
        #expect(try ledger.usage(sessionID: s, host: nil, allHosts: false, now: now).sessionSpent == .zero)
    }
}
