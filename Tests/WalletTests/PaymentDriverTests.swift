import EVM
import Foundation
import HTTP
import Ledger
import PurseCore
import PurseTesting
import Testing
@testable import Wallet
@testable import X402

/// An in-memory x402 seller: answers 402 without a payment header, checks the signature of a
/// paid request (it must recover to the payer) and answers with a receipt.
final class FakeSeller: @unchecked Sendable {
    let lock = NSLock()
    var paidHeaders: [String] = []
    var paidStatus: [Int] = []          // statuses to answer paid requests with, in order; default 200
    var delayMs = 0
    var price = "10000"
    var network = "eip155:84532"
    /// When set, a paid request reports its arrival here and waits for `release` before answering.
    var arrived: AsyncStream<Bool>.Continuation?
    var release: Latch?
    /// Whether the task handling each paid request saw itself cancelled.
    var sawCancelled: [Bool] = []

    func handle(_ r: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        guard let header = r.headers["PAYMENT-SIGNATURE"] else {
            return WalletFixture.paymentRequired([WalletFixture.entry(amount: price, network: network)])
        }
        if let arrived, let release {
            arrived.yield(true)
            await release.wait()
            lock.withLock { sawCancelled.append(Task.isCancelled) }
        }
        if delayMs > 0 { try? await Task.sleep(for: .milliseconds(delayMs)) }
        let status: Int = lock.withLock {
            paidHeaders.append(header)
            return paidStatus.isEmpty ? 200 : paidStatus.removeFirst()
        }
        guard status == 200 else { return WalletFixture.response(status) }
        // Verify like a facilitator would: the signature must recover to `from`.
        guard let payload = try? JSONValue.parse(try Base64.decode(header)),
              let a = payload["payload"]?["authorization"], let sig = payload["payload"]?["signature"]?.stringValue,
              let from = try? Address(parsing: a["from"]?.stringValue ?? ""), let to = try? Address(parsing: a["to"]?.stringValue ?? ""),
              let nonce = try? Hex.decode(a["nonce"]?.stringValue ?? "", length: 32),
              let message = try? TransferWithAuthorization(
                  from: from, to: to, value: UInt256(decimal: a["value"]!.stringValue!), validAfter: UInt256(decimal: a["validAfter"]!.stringValue!),
                  validBefore: UInt256(decimal: a["validBefore"]!.stringValue!), nonce: nonce),
              let signature = try? Signature(hex: sig),
              let recovered = try? signature.recoverAddress(digest: message.digest(domain: EIP712Domain(
                  name: "USDC", version: "2", chainId: 84532, verifyingContract: try Address(parsing: WalletFixture.token)))),
              recovered == from
        else { return WalletFixture.response(402, headers: [("PAYMENT-RESPONSE", WalletFixture.receipt(success: false))]) }
        let tx = "0x" + Hex.encode(Keccak256.hash(Array(header.utf8)), prefix: false)
        return WalletFixture.response(200, headers: [("PAYMENT-RESPONSE", WalletFixture.receipt(tx: tx)), ("Content-Type", "application/json")], body: #"{"weather":"sunny"}"#)
    }
}

/// A one-shot gate a test opens once (tests only).
final class Latch: @unchecked Sendable {
    private let lock = NSLock()
    private var open = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            lock.lock()
            if open { lock.unlock(); c.resume(); return }
            waiters.append(c)
            lock.unlock()
        }
    }

    func signal() {
        lock.lock()
        open = true
        let w = waiters
        waiters = []
        lock.unlock()
        for c in w { c.resume() }
    }
}

@Suite struct PaymentDriverTests {
    struct Rig {
        let seller: FakeSeller
        let ledger: SQLiteLedger
        let driver: PaymentDriver
        let dir: URL
    }

    func rig(_ policy: String = #"{"maxPerRequest":"0.10"}"#) throws -> Rig {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("purse-drv-\(UUID().uuidString)")
        let ledger = try SQLiteLedger(path: dir.appendingPathComponent("l.db").path)
        let seller = FakeSeller()
        let http = InMemoryHTTPClient { r throws(HTTPError) in try await seller.handle(r) }
        let session = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let key = try PrivateKey(hex: WalletFixture.payerKeyHex)
        var config = try WalletFixture.config(policy)
        config.payment.maxPaidAttempts = 3
        let d = PaymentDriver(http: http, ledger: ledger, signer: KeySigner(key: key), config: config, sessionID: session.id)
        return Rig(seller: seller, ledger: ledger, driver: d, dir: dir)
    }

    @Test func paysOnceAndSettlesTheRow() async throws {
        let r = try rig()
        let result = await r.driver.fetch(WalletFixture.request)
        guard case .paid = result.outcome.kind else { Issue.record("expected paid, got \(result.outcome.kind)"); return }
        #expect(result.response?.status == 200)
        #expect(r.seller.paidHeaders.count == 1)
        let id = try #require(result.paymentID)
        let row = try #require(try r.ledger.payment(id: id))
        #expect(row.status == .settled)
        #expect(row.txHash == result.outcome.receipt?.transaction)
        #expect(row.amountAtomic == 10_000 && row.payer == .evm(WalletFixture.payerAddress) && row.micros == Micros(10_000))
        #expect(row.authorization == result.outcome.plan?.reference && row.host == HostName("seller.test"))
        #expect(result.budget?.sessionSpent == Micros(10_000))
        #expect(result.json()["payment"]?["transaction"]?.stringValue == row.txHash)
    }

    @Test func serverErrorsResendTheSameSignatureAndEndUnknown() async throws {
        let r = try rig()
        r.seller.paidStatus = [500, 503, 502]
        let result = await r.driver.fetch(WalletFixture.request)
        guard case .unknown = result.outcome.kind else { Issue.record("expected unknown"); return }
        #expect(r.seller.paidHeaders.count == 3)
        #expect(Set(r.seller.paidHeaders).count == 1)
        let id = try #require(result.paymentID)
        #expect(try r.ledger.payment(id: id)?.status == .unknown)
        // The unknown row still counts.
        #expect(result.budget?.sessionSpent == Micros(10_000))
    }

    @Test func sessionBudgetRefusesBeforeSigning() async throws {
        let r = try rig(#"{"sessionBudget":"0.025"}"#)
        var outcomes = [String]()
        for _ in 0..<3 { outcomes.append(await r.driver.fetch(WalletFixture.request).outcomeName) }
        #expect(outcomes == ["paid", "paid", "refused"])
        #expect(r.seller.paidHeaders.count == 2)
        let third = await r.driver.fetch(WalletFixture.request)
        #expect(third.error?.code == "budget.session_exceeded")
        #expect(third.error?.message.contains("0.005") == true, "\(third.error?.message ?? "")")
    }

    @Test func concurrentCallsHoldTheBudget() async throws {
        let r = try rig(#"{"sessionBudget":"0.05"}"#)
        let results = await withTaskGroup(of: String.self) { g in
            for _ in 0..<8 { g.addTask { await r.driver.fetch(WalletFixture.request).outcomeName } }
            var all = [String]()
            for await x in g { all.append(x) }
            return all
        }
        #expect(results.filter { $0 == "paid" }.count == 5)
        #expect(results.filter { $0 == "refused" }.count == 3)
        #expect(r.seller.paidHeaders.count == 5)
    }

    @Test func cancellingTheCallerNeverLeavesAHalfRecordedPayment() async throws {
        let r = try rig()
        let (arrivals, arrived) = AsyncStream<Bool>.makeStream()
        let release = Latch()
        r.seller.arrived = arrived
        r.seller.release = release
        let task = Task { await r.driver.fetch(WalletFixture.request) }
        // Wait until the paid request is at the seller, then cancel the caller mid-payment.
        var it = arrivals.makeAsyncIterator()
        _ = await it.next()
        task.cancel()
        #expect(task.isCancelled)
        release.signal()
        let result = await task.value
        // The cancel landed on the caller, but not on the payment: it completed and was recorded.
        #expect(r.seller.sawCancelled == [false])
        guard case .paid = result.outcome.kind else { Issue.record("expected paid, got \(result.outcome.kind)"); return }
        let rows = try r.ledger.payments(PaymentFilter())
        #expect(rows.count == 1 && rows.first?.status == .settled)
    }

    @Test func approvalAboveThresholdWithoutAHumanIsRefused() async throws {
        let r = try rig(#"{"confirmAbove":"0.005"}"#)
        let result = await r.driver.fetch(WalletFixture.request)
        #expect(result.error?.code == "approval.unsupported")
        #expect(result.error?.message.contains("policy.confirmAbove") == true)
        #expect(r.seller.paidHeaders.isEmpty)
        #expect(try r.ledger.payments(PaymentFilter()).first?.status == .failed)
    }

    @Test func quotePaysNothing() async throws {
        let r = try rig()
        let q = await r.driver.quote(WalletFixture.request)
        #expect(q.refusal == nil && q.selection?.chosen?.index == 0 && q.plan?.micros == Micros(10_000))
        #expect(q.json()["wouldPay"]?.boolValue == true)
        #expect(r.seller.paidHeaders.isEmpty)
        #expect(try r.ledger.payments(PaymentFilter()).isEmpty)
    }

    /// `quote` is a dry run of the decision `fetch` makes: for every kind of refusal, both give
    /// the same code and the same message.
    @Test(arguments: [
        (#"{"dailyBudget":"0.015"}"#, "budget.daily_exceeded", 1),
        (#"{"sessionBudget":"0.015"}"#, "budget.session_exceeded", 1),
        (#"{"perHost":{"seller.test":{"daily":"0.015"}}}"#, "budget.host_daily_exceeded", 1),
        (#"{"hosts":{"deny":["seller.test"]}}"#, "policy.host_denied", 0),
        (#"{"hosts":{"allow":["other.test"]}}"#, "policy.host_not_allowed", 0),
        (#"{"allowNetworks":["eip155:8453"]}"#, "policy.no_acceptable_option", 0),
        (#"{"maxPerRequest":"0.005"}"#, "policy.no_acceptable_option", 0),
    ])
    func quoteAndFetchRefuseAlike(policy: String, code: String, paidFirst: Int) async throws {
        let r = try rig(policy)
        for _ in 0..<paidFirst {
            let first = await r.driver.fetch(WalletFixture.request)
            #expect(first.outcomeName == "paid", "\(first.summary)")
        }
        let quote = await r.driver.quote(WalletFixture.request)
        let fetch = await r.driver.fetch(WalletFixture.request)
        let refusal = try #require(quote.refusal)
        #expect(refusal.code == code)
        #expect(fetch.error?.code == refusal.code)
        #expect(fetch.error?.message == refusal.message)
        #expect(quote.json()["wouldPay"]?.boolValue == false)
        #expect(r.seller.paidHeaders.count == paidFirst)
    }

    @Test func quoteReportsALedgerFailureInsteadOfWouldPay() async throws {
        let r = try rig()
        try r.ledger.executeRaw("DROP TABLE payment")
        let q = await r.driver.quote(WalletFixture.request)
        #expect(q.refusal?.code.hasPrefix("ledger.") == true, "\(String(describing: q.refusal))")
        #expect(q.json()["wouldPay"]?.boolValue == false)
    }

    @Test func aRequestCarryingItsOwnPaymentIsRefused() async throws {
        let r = try rig()
        var req = WalletFixture.request
        req.headers.add("x-payment", "abc")
        let result = await r.driver.fetch(req)
        #expect(result.error?.code == "request.payment_header_set" && result.outcomeName == "refused")
        #expect(r.seller.paidHeaders.isEmpty)
    }

    @Test func anUnusableURLIsAnErrorNotARefusal() async throws {
        let r = try rig()
        let result = await r.driver.fetch(HTTPRequest(url: "ftp://seller.test/x"))
        #expect(result.outcomeName == "error" && result.error?.code == "http.unsupported_scheme")
    }
}
