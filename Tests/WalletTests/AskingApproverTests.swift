import Foundation
import PurseCore
import Testing
@testable import Wallet

/// The approval answers map to the approval refusals, defined once for every face.
@Suite struct AskingApproverTests {
    struct Scripted: ApprovalAsker {
        let decision: ApprovalDecision
        let seen: @Sendable (ApprovalRequest) -> Void
        func ask(_ request: ApprovalRequest) async -> ApprovalDecision {
            seen(request)
            return decision
        }
    }

    final class Box: @unchecked Sendable {
        let lock = NSLock()
        var requests: [ApprovalRequest] = []
    }

    func plan() throws -> PaymentPlan {
        var flow = PaymentFlow(resource: WalletFixture.resource, context: WalletFixture.context(try WalletFixture.config()))
        _ = flow.start()
        guard case let .reserve(plan) = flow.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired()))) else {
            throw PurseError("t", "no plan")
        }
        return plan
    }

    @Test(arguments: [
        (ApprovalDecision.approved, nil as String?),
        (.declined, "approval.declined"),
        (.timedOut, "approval.timeout"),
        (.unsupported, "approval.unsupported"),
    ])
    func decisionsMapToCodes(decision: ApprovalDecision, code: String?) async throws {
        let box = Box()
        let approver = AskingApprover(asker: Scripted(decision: decision) { r in box.lock.withLock { box.requests.append(r) } })
        let plan = try plan()
        let refusal = await approver.approve(plan, budgetLeft: "session 0.99 USDC left")
        #expect(refusal?.code == code)
        // The human saw exactly the plan: amount, payee, host, URL and the budget left.
        let asked = try #require(box.lock.withLock { box.requests.first })
        #expect(asked == ApprovalRequest(amount: "0.01", symbol: "USDC", asset: WalletFixture.token, network: "eip155:84532",
                                         payTo: WalletFixture.seller, host: "seller.test", url: "http://seller.test/weather",
                                         budgetLeft: "session 0.99 USDC left"))
    }

    @Test func noApproverRefusesWithTheFix() async throws {
        let refusal = await NoApprover().approve(try plan(), budgetLeft: "")
        #expect(refusal?.code == "approval.unsupported" && refusal?.message.contains("policy.confirmAbove") == true)
    }
}
