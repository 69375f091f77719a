import Foundation
import ChainRPC
import EVM
import HTTP
import Ledger
import PurseCore
import PurseTesting
import Testing
@testable import Wallet

@Suite struct ReconcilerTests {
    static let usedNonce = "0x" + String(repeating: "aa", count: 32)
    static let tx = "0x" + String(repeating: "cd", count: 32)

    /// A JSON-RPC node that knows one used authorization and its log: a million-block chain with
    /// 2-second blocks ending now, whose `eth_getLogs` refuses ranges over 1,000 blocks (as public
    /// RPCs do), so only a search bounded by block timestamps finds the log.
    static func node(logAgo: UInt64 = 60, calls: CallLog? = nil) -> InMemoryHTTPClient {
        let latest: UInt64 = 1_000_000
        let nowT = UInt64(Date().timeIntervalSince1970)
        let logBlock = latest - logAgo / 2
        return InMemoryHTTPClient { r throws(HTTPError) in
            let req = (try? JSONValue.parse(r.body ?? [])) ?? .null
            let id = req["id"] ?? .integer(1)
            var result: JSONValue = .null
            var error: JSONValue?
            let method = req["method"]?.stringValue ?? ""
            calls?.add(method, req["params"] ?? .null)
            func block(_ v: JSONValue?) -> UInt64? { v?.stringValue.flatMap { UInt64($0.dropFirst(2), radix: 16) } }
            switch method {
            case "eth_call":
                let data = req["params"]?.arrayValue?.first?["data"]?.stringValue ?? ""
                let used = data.lowercased().hasSuffix(String(repeating: "aa", count: 32))
                result = .string("0x" + String(repeating: "0", count: 63) + (used ? "1" : "0"))
            case "eth_getBlockByNumber":
                if let n = block(req["params"]?.arrayValue?.first), n <= latest {
                    result = ["number": .string("0x" + String(n, radix: 16)), "timestamp": .string("0x" + String(nowT - (latest - n) * 2, radix: 16))]
                }
            case "eth_getLogs":
                let filter = req["params"]?.arrayValue?.first
                guard let from = block(filter?["fromBlock"]), let to = block(filter?["toBlock"]), to >= from, to - from < 1_000 else {
                    error = ["code": -32005, "message": "block range is too large"]
                    break
                }
                let payer = "0x000000000000000000000000" + WalletFixture.payer.dropFirst(2).lowercased()
                result = (from...to).contains(logBlock) ? [["address": .string(WalletFixture.token.lowercased()),
                           "topics": [.string(Hex.encode(ABI.authorizationUsedTopic)), .string(payer), .string(usedNonce)],
                           "data": "0x", "transactionHash": .string(tx),
                           "blockNumber": .string("0x" + String(logBlock, radix: 16)), "logIndex": "0x0", "removed": false]] : []
            case "eth_blockNumber": result = .string("0x" + String(latest, radix: 16))
            default: break
            }
            var body: JSONObject = ["jsonrpc": "2.0", "id": id]
            if let error { body["error"] = error } else { body["result"] = result }
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: JSONValue.object(body).encodedBytes(),
                                truncated: false, redirectLocation: nil, effectiveURL: "")
        }
    }

    /// The JSON-RPC calls a node saw.
    final class CallLog: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [(String, JSONValue)] = []
        func add(_ method: String, _ params: JSONValue) { lock.withLock { seen.append((method, params)) } }
        var all: [(String, JSONValue)] { lock.withLock { seen } }
    }

    /// This test's ledger directory, removed when the test ends.
    let dir: ScratchDirectory

    init() throws { dir = try ScratchDirectory("purse-rec") }

    func payment(session: String, nonce: String, validBefore: Int64) -> NewPayment {
        NewPayment(sessionID: session, method: "GET", url: "http://seller.test/weather", host: HostName("seller.test"), network: "eip155:84532",
                   asset: WalletFixture.tokenAddress, assetSymbol: "USDC", decimals: 6, payTo: WalletFixture.sellerAddress, amountAtomic: 10_000,
                   micros: Micros(10_000), scheme: "exact", x402Version: 2, nonce: try! Nonce32(hex: nonce), validBefore: validBefore,
                   payer: WalletFixture.payerAddress)
    }

    @Test func rowsFollowTheChain() async throws {
        let ledger = try SQLiteLedger(path: dir.file("l.db"))
        let s = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let now = Date()
        let t = Int64(now.timeIntervalSince1970)
        let used = try ledger.reserve(payment(session: s.id, nonce: Self.usedNonce, validBefore: t + 300), limits: .none, now: now)
        try ledger.markSent(id: used.id, now: now)
        let expired = try ledger.reserve(payment(session: s.id, nonce: "0x" + String(repeating: "bb", count: 32), validBefore: t - 120), limits: .none, now: now)
        try ledger.markSent(id: expired.id, now: now)
        try ledger.markUnknown(id: expired.id, error: "timeout", httpStatus: nil, now: now)
        let live = try ledger.reserve(payment(session: s.id, nonce: "0x" + String(repeating: "cc", count: 32), validBefore: t + 300), limits: .none, now: now)
        let config = try WalletFixture.config()
        let report = await Reconciler(ledger: ledger, config: config, http: Self.node()).run()
        #expect(report.settled == 1 && report.released == 1 && report.pending == 1 && report.errors == 0, "\(report)")
        #expect(try ledger.payment(id: used.id)?.status == .settled)
        #expect(try ledger.payment(id: used.id)?.txHash == Self.tx)
        #expect(try ledger.payment(id: expired.id)?.status == .failed)
        #expect(try ledger.payment(id: live.id)?.status == .reserved)
        // The budget counts the settled and the still-valid rows, not the released one.
        #expect(try ledger.usage(sessionID: s.id, host: nil, allHosts: false, now: now).sessionSpent == Micros(20_000))
    }

    @Test func aFailedRowThatTheChainShowsUsedIsSettled() async throws {
        let ledger = try SQLiteLedger(path: dir.file("l.db"))
        let s = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let now = Date()
        let t = Int64(now.timeIntervalSince1970)
        // The seller answered 402 ("failed"), but the authorization it holds was used.
        let lied = try ledger.reserve(payment(session: s.id, nonce: Self.usedNonce, validBefore: t + 300), limits: .none, now: now)
        try ledger.markSent(id: lied.id, now: now)
        try ledger.markFailed(id: lied.id, error: "the server answered 402 again", httpStatus: 402, now: now)
        // An honest failure stays failed.
        let honest = try ledger.reserve(payment(session: s.id, nonce: "0x" + String(repeating: "dd", count: 32), validBefore: t + 300), limits: .none, now: now)
        try ledger.markFailed(id: honest.id, error: "declined", httpStatus: nil, now: now)
        let report = await Reconciler(ledger: ledger, config: try WalletFixture.config(), http: Self.node()).run()
        #expect(report.settled == 1)
        #expect(try ledger.payment(id: lied.id)?.status == .settled)
        #expect(try ledger.payment(id: honest.id)?.status == .failed)
        #expect(try ledger.usage(sessionID: s.id, host: nil, allHosts: false, now: now).sessionSpent == Micros(10_000))
    }

    @Test func theLogSearchIsBoundedByBlockTimestamps() async throws {
        let ledger = try SQLiteLedger(path: dir.file("l.db"))
        let s = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let now = Date()
        let row = try ledger.reserve(payment(session: s.id, nonce: Self.usedNonce, validBefore: Int64(now.timeIntervalSince1970) + 300), limits: .none, now: now)
        try ledger.markSent(id: row.id, now: now)
        try ledger.markUnknown(id: row.id, error: "settlement_pending", httpStatus: 402, txHash: nil, now: now)
        let calls = CallLog()
        let report = await Reconciler(ledger: ledger, config: try WalletFixture.config(), http: Self.node(calls: calls)).run()
        #expect(report.settled == 1, "\(report)")
        #expect(try ledger.payment(id: row.id)?.txHash == Self.tx)
        let logs = calls.all.filter { $0.0 == "eth_getLogs" }
        #expect(!logs.isEmpty)
        for (_, params) in logs {
            let from = params.arrayValue?.first?["fromBlock"]?.stringValue ?? ""
            #expect(from != "0x0", "the search must not start at block 0")
        }
        // Binary search: about two times log2(1,000,000) block reads, not a scan.
        #expect(calls.all.filter { $0.0 == "eth_getBlockByNumber" }.count <= 45)
        #expect(Reconciler.searchWindow(createdAt: 10_000, validBefore: 10_300, skew: 300) == 9_100...10_600)
    }

    @Test func aPendingRowKeepsTheSellersHashWhenNoLogIsFound() async throws {
        let ledger = try SQLiteLedger(path: dir.file("l.db"))
        let s = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let now = Date()
        let row = try ledger.reserve(payment(session: s.id, nonce: Self.usedNonce, validBefore: Int64(now.timeIntervalSince1970) + 300), limits: .none, now: now)
        try ledger.markSent(id: row.id, now: now)
        let reported = "0x" + String(repeating: "ef", count: 32)
        try ledger.markUnknown(id: row.id, error: "settlement_pending", httpStatus: 402, txHash: reported, now: now)
        // The log is two days old: outside the window, so the seller's hash stays.
        _ = await Reconciler(ledger: ledger, config: try WalletFixture.config(), http: Self.node(logAgo: 172_800)).run()
        #expect(try ledger.payment(id: row.id)?.status == .settled)
        #expect(try ledger.payment(id: row.id)?.txHash == reported)
    }

    @Test func anRPCFailureLeavesRowsAlone() async throws {
        let ledger = try SQLiteLedger(path: dir.file("l.db"))
        let s = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let row = try ledger.reserve(payment(session: s.id, nonce: Self.usedNonce, validBefore: 1), limits: .none, now: Date())
        let down = InMemoryHTTPClient { _ throws(HTTPError) in throw HTTPError(.connectFailed, "refused", requestMayHaveBeenSent: false) }
        let report = await Reconciler(ledger: ledger, config: try WalletFixture.config(), http: down).run()
        #expect(report.errors == 1)
        #expect(try ledger.payment(id: row.id)?.status == .reserved)
    }
}
