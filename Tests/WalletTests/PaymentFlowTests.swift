import HTTP
import PurseCore
import Testing
@testable import Wallet
@testable import X402

/// The payment state machine, event by event. Actions and outcomes are values, so each step is
/// one `#expect(action == …)`.
@Suite struct PaymentFlowTests {
    let config: PurseConfig

    init() throws { config = try WalletFixture.config() }

    func flow(_ config: PurseConfig? = nil, maxPrice: Int64? = nil) -> PaymentFlow {
        PaymentFlow(resource: WalletFixture.resource, context: WalletFixture.context(config ?? self.config, maxPrice: maxPrice))
    }

    /// Drives a flow up to the first paid send, returning the payload and the plan.
    func toPaid(_ flow: inout PaymentFlow) throws -> (PaymentPayload, PaymentPlan) {
        #expect(flow.start() == .sendUnpaid)
        let action = flow.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired())))
        guard case let .reserve(plan) = action else { throw PurseError("t", "expected reserve, got \(action)") }
        #expect(flow.reserved() == .sign(plan))
        let sent = flow.signed(WalletFixture.authorization(plan))
        guard case let .sendPaid(payload, 1, 0) = sent else { throw PurseError("t", "expected sendPaid, got \(sent)") }
        return (payload, plan)
    }

    @Test func notPaymentRequiredFinishesWithoutReserving() {
        var f = flow()
        #expect(f.start() == .sendUnpaid)
        #expect(f.unpaidAnswered(.notPaymentRequired) == .finish(FlowOutcome(kind: .notPaymentRequired)))
    }

    @Test func unreadableOfferIsRefused() {
        var f = flow()
        _ = f.start()
        let e = X402Error(.badValue, field: "accepts", "empty")
        #expect(f.unpaidAnswered(.unreadableOffer(e)) == .finish(FlowOutcome(kind: .refused(FlowRefusal(e)))))
    }

    @Test func planHasWindowNonceAndCheapestOption() throws {
        var f = flow()
        _ = f.start()
        let offer = try WalletFixture.offer(WalletFixture.paymentRequired([WalletFixture.entry(amount: "50000"), WalletFixture.entry(amount: "20000", timeout: 60)]))
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(offer)) else { Issue.record("expected reserve"); return }
        #expect(plan.requirement.index == 1)
        #expect(plan.micros == Micros(20_000))
        let a = try #require(plan.eip3009)
        #expect(a.validAfter == 1_800_000_000 - 600)
        #expect(plan.validBefore == 1_800_000_000 + 60)  // min(maxTimeoutSeconds 60, ceiling 300)
        #expect(a.nonce == WalletFixture.nonce && plan.reference == .eip3009(nonce: WalletFixture.nonce))
        #expect(plan.host == HostName("seller.test"))
        #expect(plan.payTo == .evm(WalletFixture.sellerAddress) && plan.token == .evm(WalletFixture.tokenAddress) && plan.payer == .evm(WalletFixture.payerAddress))
        #expect(f.offer == offer && f.selection?.chosen?.index == 1)
    }

    @Test func validityIsCappedByTheCeiling() throws {
        var config = self.config
        config.payment.validityCeilingSeconds = 120
        var f = flow(config)
        _ = f.start()
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired([WalletFixture.entry(timeout: 3600)])))) else {
            Issue.record("reserve"); return
        }
        #expect(plan.validBefore - 1_800_000_000 == 120)
    }

    @Test func payloadEchoesAcceptedVerbatimAndSignsThePlan() throws {
        var f = flow()
        let (payload, plan) = try toPaid(&f)
        #expect(payload.httpHeaderName == "PAYMENT-SIGNATURE")
        #expect(payload.document["accepted"] == plan.requirement.raw)
        #expect(payload.document["payload"]?["authorization"]?["nonce"]?.stringValue == plan.eip3009?.nonce.hex)
        #expect(payload.document["payload"]?["authorization"]?["validBefore"]?.stringValue == String(plan.validBefore))
        #expect(payload.document["accepted"]?["extra"]?.isNull == false)
        #expect(try JSONValue.parse(try Base64.decode(payload.base64)) == payload.document)
    }

    @Test func deliveredWithReceiptSettles() throws {
        var f = flow()
        let (_, plan) = try toPaid(&f)
        let receipt = try #require(try SettlementResponse.parse(header: { $0 == "PAYMENT-RESPONSE" ? WalletFixture.receipt() : nil }))
        let expected = FlowOutcome(kind: .paid, plan: plan, receipt: receipt, resolution: .settle(transaction: "0x" + String(repeating: "ab", count: 32)),
                                   signatures: 1, paidAttempts: 1)
        #expect(f.paidAnswered(.delivered(receipt: receipt, receiptProblem: nil)) == .finish(expected))
    }

    @Test func deliveredWithoutReceiptIsPaidButUnknownInTheLedger() throws {
        var f = flow()
        let (_, plan) = try toPaid(&f)
        let action = f.paidAnswered(.delivered(receipt: nil, receiptProblem: nil))
        let expected = FlowOutcome(kind: .paid, plan: plan, resolution: .unknown("content delivered but the server sent no receipt; reconcile will ask the chain"),
                                   signatures: 1, paidAttempts: 1)
        #expect(action == .finish(expected))
    }

    @Test func serverErrorsResendTheSamePayloadThenUnknown() throws {
        var f = flow()
        let (payload, plan) = try toPaid(&f)
        #expect(f.paidAnswered(.serverError(status: 502, receipt: nil)) == .sendPaid(payload, attempt: 2, delayMilliseconds: 250))
        #expect(f.paidAnswered(.serverError(status: 500, receipt: nil)) == .sendPaid(payload, attempt: 3, delayMilliseconds: 1_000))
        let reason = "the paid request got HTTP 500; settlement is not confirmed"
        #expect(f.paidAnswered(.serverError(status: 500, receipt: nil))
            == .finish(FlowOutcome(kind: .unknown(reason: reason), plan: plan, resolution: .unknown(reason), signatures: 1, paidAttempts: 3)))
    }

    @Test func transportFailuresThatNeverSentReleaseTheReservation() throws {
        var f = flow()
        let (payload, plan) = try toPaid(&f)
        let refused = FlowRefusal(HTTPError(.connectFailed, "refused", requestMayHaveBeenSent: false))
        #expect(f.transportFailed(refused, mayHaveBeenSent: false) == .sendPaid(payload, attempt: 2, delayMilliseconds: 250))
        #expect(f.transportFailed(refused, mayHaveBeenSent: false) == .sendPaid(payload, attempt: 3, delayMilliseconds: 1_000))
        #expect(f.transportFailed(refused, mayHaveBeenSent: false)
            == .finish(FlowOutcome(kind: .refused(refused), plan: plan, resolution: .release("the paid request never left: \(refused.message)"),
                                   signatures: 1, paidAttempts: 3)))
    }

    @Test func aTimeoutAfterSendingIsUnknownNotReleased() throws {
        var f = flow()
        _ = try toPaid(&f)
        let timeout = FlowRefusal(HTTPError(.timeout, "t", requestMayHaveBeenSent: true))
        let refused = FlowRefusal(HTTPError(.connectFailed, "c", requestMayHaveBeenSent: false))
        _ = f.transportFailed(timeout, mayHaveBeenSent: true)
        _ = f.transportFailed(refused, mayHaveBeenSent: false)
        guard case let .finish(o) = f.transportFailed(refused, mayHaveBeenSent: false) else { Issue.record("finish"); return }
        guard case .unknown = o.resolution else { Issue.record("expected unknown, got \(o.resolution)"); return }
        #expect(o.signatures == 1 && o.paidAttempts == 3)
    }

    @Test func rejectionFailsWithoutSigningAgain() throws {
        var f = flow()
        let (_, plan) = try toPaid(&f)
        #expect(f.paidAnswered(.rejected(receipt: nil, reason: "invalid_exact_evm_insufficient_balance"))
            == .finish(FlowOutcome(kind: .paymentFailed(reason: "invalid_exact_evm_insufficient_balance"), plan: plan,
                                   resolution: .fail("invalid_exact_evm_insufficient_balance"), signatures: 1, paidAttempts: 1)))
    }

    @Test func overCapIsRefusedBeforeReserving() throws {
        var f = flow(maxPrice: 5_000)
        _ = f.start()
        guard case let .finish(o) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired()))), case let .refused(e) = o.kind else {
            Issue.record("refused"); return
        }
        #expect(e.code == "policy.no_acceptable_option")
        #expect(e.message.contains("per-request cap of 0.005 USDC"))
        #expect(o.resolution == .none && o.signatures == 0 && o.plan == nil)
    }

    @Test func deniedHostIsRefusedBeforeSelection() throws {
        var f = flow(try WalletFixture.config(#"{"hosts":{"deny":["*.test"]}}"#))
        _ = f.start()
        let action = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired())))
        #expect(action == .finish(FlowOutcome(kind: .refused(FlowRefusal(code: "policy.host_denied", message: "host seller.test is denied by policy.hosts.deny (*.test)")))))
        #expect(f.selection == nil)  // host rules come before the options are even judged
    }

    @Test func reservationRefusalEndsWithNothingToRelease() throws {
        var f = flow()
        _ = f.start()
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired()))) else { Issue.record("reserve"); return }
        let r = FlowRefusal(code: "budget.daily_exceeded", message: "daily")
        #expect(f.reservationRefused(r) == .finish(FlowOutcome(kind: .refused(r), plan: plan)))
    }

    @Test func approvalDeclinedReleases() throws {
        var f = flow(try WalletFixture.config(#"{"confirmAbove":"0.005"}"#))
        _ = f.start()
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired()))) else { Issue.record("reserve"); return }
        #expect(f.reserved() == .askApproval(plan))
        let no = FlowRefusal(code: "approval.declined", message: "no")
        #expect(f.declined(no) == .finish(FlowOutcome(kind: .refused(no), plan: plan, resolution: .release("no"))))
    }

    @Test func approvalApprovedSigns() throws {
        var f = flow(try WalletFixture.config(#"{"confirmAbove":"0.005"}"#))
        _ = f.start()
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired()))) else { Issue.record("reserve"); return }
        _ = f.reserved()
        #expect(f.approved() == .sign(plan))
    }

    @Test func signingIsImpossibleBeforeReservation() throws {
        var f = flow()
        _ = f.start()
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired()))) else { Issue.record("reserve"); return }
        // A signature before `reserved` is refused as misuse: nothing is sent, and there is no
        // reservation to release.
        let action = f.signed(WalletFixture.authorization(plan))
        guard case let .finish(o) = action, case let .refused(e) = o.kind else { Issue.record("finish, got \(action)"); return }
        #expect(e.code == "flow.unexpected_event" && o.paidAttempts == 0 && o.resolution == .none)
    }

    @Test func aSecondSignatureIsNeverAccepted() throws {
        var f = flow()
        let (_, plan) = try toPaid(&f)
        guard case let .finish(o) = f.signed(WalletFixture.authorization(plan)) else { Issue.record("finish"); return }
        // The payment already left: the row stays counted for reconcile; still one signature.
        #expect(o.signatures == 1 && o.resolution == .unknown("internal error: unexpected event in the payment flow"))
    }

    @Test func paymentIdentifierOnlyWhenAdvertised() throws {
        var f = flow()
        _ = f.start()
        let ext: JSONValue = ["payment-identifier": ["info": ["required": false]]]
        guard case let .reserve(plan) = f.unpaidAnswered(.offer(try WalletFixture.offer(WalletFixture.paymentRequired([WalletFixture.entry()], extensions: ext)))) else {
            Issue.record("reserve"); return
        }
        _ = f.reserved()
        guard case let .sendPaid(payload, _, _) = f.signed(WalletFixture.authorization(plan)) else { Issue.record("sendPaid"); return }
        #expect(payload.document["extensions"]?["payment-identifier"]?["info"]?["id"]?.stringValue == "pay_" + String(repeating: "0", count: 32))

        var plain = flow()
        let (noID, _) = try toPaid(&plain)
        #expect(noID.document["extensions"] == nil)
    }
}
