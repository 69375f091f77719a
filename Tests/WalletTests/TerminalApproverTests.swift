import EVM
import Foundation
import HTTP
import Ledger
import PurseCore
import PurseTesting
import Testing
@testable import Wallet

/// The terminal approval style through the real driver, ledger and an in-memory seller.
@Suite struct TerminalApproverTests {
    struct Rig {
        let seller: FakeSeller
        let ledger: SQLiteLedger
        let driver: PaymentDriver
        let desk: ApprovalDesk
        /// The ledger's directory, removed when the test drops the rig.
        let dir: ScratchDirectory
    }

    func rig(_ policy: String = #"{"maxPerRequest":"0.10","confirmAbove":"0.005"}"#) throws -> Rig {
        let dir = try ScratchDirectory("purse-apr")
        let ledger = try SQLiteLedger(path: dir.file("l.db"))
        let seller = FakeSeller()
        let http = InMemoryHTTPClient { r throws(HTTPError) in try await seller.handle(r) }
        let session = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let config = try WalletFixture.config(policy)
        let driver = PaymentDriver(http: http, ledger: ledger, signer: KeySigner(key: try PrivateKey(hex: WalletFixture.payerKeyHex)),
                                   config: config, sessionID: session.id)
        return Rig(seller: seller, ledger: ledger, driver: driver, desk: ApprovalDesk(ledger: ledger, policy: Policy(config: config)), dir: dir)
    }

    func fetch(_ r: Rig, approvalID: String? = nil) async -> FetchResult {
        await r.driver.fetch(WalletFixture.request, approver: r.driver.terminalApprover(approvalID: approvalID))
    }

    @Test func withoutAnIdTheApprovalIsFiledAndNothingIsSigned() async throws {
        let r = try rig()
        let result = await fetch(r)
        let ticket = try #require(result.approval)
        #expect(result.outcomeName == "approval_required" && !result.paid)
        #expect(result.error?.code == "approval.required")
        #expect(result.summary.contains(ticket.command) && result.summary.contains("approval_id"))
        #expect(ticket.amount == "0.01" && ticket.symbol == "USDC" && ticket.host == "seller.test" && ticket.url == "http://seller.test/weather")
        #expect(ticket.payTo == WalletFixture.sellerAddress.checksummed && ticket.network == "eip155:84532")
        let json = result.json()
        #expect(json["outcome"] == "approval_required" && json["approval"]?["id"] == .string(ticket.id))
        #expect(json["approval"]?["command"] == .string("purse approve \(ticket.id)"))
        #expect(r.seller.paidHeaders.isEmpty)
        #expect(try r.ledger.payments(PaymentFilter()).map(\.status) == [.failed], "the reservation is released")
        let stored = try #require(try r.ledger.approval(id: ticket.id))
        #expect(stored.status == .pending && stored.terms.amountAtomic == 10_000 && stored.terms.payer == .evm(WalletFixture.payerAddress))
        #expect(stored.expiresAt.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) == 0, "a whole second")
        let validity = stored.expiresAt.timeIntervalSince(stored.createdAt)
        #expect(validity > 599 && validity <= 600, "payment.approvalValiditySeconds defaults to 600")
        let shown = ApprovalDesk.text(stored, now: r.desk.now, budget: r.desk.budget(for: stored))
        for part in ["0.01 USDC", "eip155:84532", "seller.test", "http://seller.test/weather", "Payment flow: authorization",
                     "Budget left: session", ticket.id] {
            #expect(shown.contains(part), "\(part)")
        }
    }

    @Test func approvedIdPaysOnceAndOnlyOnce() async throws {
        let r = try rig()
        let id = try #require(await fetch(r).approval?.id)
        #expect(await fetch(r, approvalID: id).error?.code == "approval.pending")
        _ = try r.desk.decide(id, approve: true)
        let paid = await fetch(r, approvalID: id)
        guard case .paid = paid.outcome.kind else { Issue.record("expected paid, got \(paid.outcome.kind)"); return }
        #expect(await fetch(r, approvalID: id).error?.code == "approval.reused")
        #expect(r.seller.paidHeaders.count == 1)
        let used = try #require(try r.ledger.approval(id: id))
        #expect(used.status == .used && used.usedNonce == paid.outcome.plan?.reference.value)
    }

    @Test func theBudgetIsCheckedAgainAtPaymentTime() async throws {
        let r = try rig(#"{"maxPerRequest":"0.10","confirmAbove":"0.005","sessionBudget":"0.015"}"#)
        let id = try #require(await fetch(r).approval?.id)
        _ = try r.desk.decide(id, approve: true)
        // Spend the session budget meanwhile: the approval cannot raise it.
        _ = try r.ledger.reserve(
            NewPayment(sessionID: r.driver.sessionID, method: "GET", url: "http://seller.test/other", host: HostName("seller.test"),
                       network: "eip155:84532", asset: WalletFixture.tokenAddress, assetSymbol: "USDC", decimals: 6,
                       payTo: WalletFixture.sellerAddress, amountAtomic: 10_000, micros: Micros(10_000), scheme: "exact", x402Version: 2,
                       nonce: try Nonce32(bytes: Array(repeating: 7, count: 32)), validBefore: 0, payer: WalletFixture.payerAddress),
            limits: .none, now: Date())
        let refused = await fetch(r, approvalID: id)
        #expect(refused.error?.code == "budget.session_exceeded")
        #expect(r.seller.paidHeaders.isEmpty)
        #expect(try r.ledger.approval(id: id)?.status == .approved, "refused before approval: the approval is not used up")
    }

    @Test func aSellerThatRaisesItsPriceAfterApprovalIsNotPaid() async throws {
        let r = try rig()
        let id = try #require(await fetch(r).approval?.id)
        _ = try r.desk.decide(id, approve: true)
        r.seller.lock.withLock { r.seller.price = "20000" }
        let refused = await fetch(r, approvalID: id)
        #expect(refused.error?.code == "approval.mismatch")
        #expect(refused.error?.message.contains("more than the 10000 approved") == true)
        #expect(r.seller.paidHeaders.isEmpty)
        #expect(try r.ledger.payments(PaymentFilter()).allSatisfy { $0.status == .failed })
    }

    @Test func belowTheThresholdAnIdIsNotNeededNorUsed() async throws {
        let r = try rig(#"{"maxPerRequest":"0.10","confirmAbove":"0.05"}"#)
        let paid = await fetch(r, approvalID: "apr_" + String(repeating: "0", count: 24))
        guard case .paid = paid.outcome.kind else { Issue.record("expected paid, got \(paid.outcome.kind)"); return }
    }

    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ s: String) { lock.withLock { items.append(s) } }
        var entries: [String] { lock.withLock { items } }
    }

    struct Fixed: PaymentApprover {
        let refusal: FlowRefusal?
        let asked: @Sendable () -> Void
        func approve(_ plan: PaymentPlan, budgetLeft: String) async -> FlowRefusal? {
            asked()
            return refusal
        }
    }

    @Test("the fallback is asked only when the first style cannot ask", arguments: [
        ("approval.unsupported", true), ("approval.declined", false), ("approval.timeout", false), ("", false),
    ])
    func fallbackApprover(firstCode: String, fallbackAsked: Bool) async throws {
        let asked = Log()
        let first = Fixed(refusal: firstCode.isEmpty ? nil : FlowRefusal(code: firstCode, message: "x")) { asked.add("first") }
        let fallback = Fixed(refusal: FlowRefusal(code: "approval.required", message: "y")) { asked.add("fallback") }
        var flow = PaymentFlow(resource: WalletFixture.resource, context: WalletFixture.context(try WalletFixture.config()))
        _ = flow.start()
        guard case let .reserve(plan) = flow.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired()))) else {
            Issue.record("no plan"); return
        }
        let refusal = await FallbackApprover(first: first, fallback: fallback).approve(plan, budgetLeft: "1")
        #expect(asked.entries == (fallbackAsked ? ["first", "fallback"] : ["first"]))
        #expect(refusal?.code == (fallbackAsked ? "approval.required" : (firstCode.isEmpty ? nil : firstCode)))
    }
}
