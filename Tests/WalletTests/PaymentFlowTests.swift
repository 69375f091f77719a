import HTTP
import PurseCore
import Testing
@testable import Wallet
@testable import X402

@Suite struct PaymentFlowTests {
    /// Drives the flow up to the paid request, returning it and the plan.
    func toPaid(_ flow: inout PaymentFlow) throws -> (HTTPRequest, PaymentPlan) {
        guard case .send = flow.start() else { throw PurseError("t", "expected send") }
        guard case let .reserve(plan) = flow.handle(.response(WalletFixture.paymentRequired())) else { throw PurseError("t", "expected reserve") }
        guard case .sign = flow.handle(.reserved) else { throw PurseError("t", "expected sign") }
        guard case let .sendPaid(req, attempt, _) = flow.handle(.signed("0x" + String(repeating: "cd", count: 65))) else { throw PurseError("t", "expected sendPaid") }
        #expect(attempt == 1)
        return (req, plan)
    }

    @Test func nonPaymentResponsePassesThroughWithoutReserving() throws {
        var flow = PaymentFlow(request: WalletFixture.request, context: WalletFixture.context(try WalletFixture.config()))
        _ = flow.start()
        guard case let .finish(o) = flow.handle(.response(WalletFixture.response(302, headers: [("Location", "http://127.0.0.2/collect")]))) else {
            Issue.record("expected finish"); return
        }
        guard case .notPaymentRequired = o.kind else { Issue.record("kind"); return }
        #expect(o.response?.status == 302 && o.resolution == .none && o.signatures == 0)
    }

    @Test func planHasWindowNonceAndCheapestOption() throws {
        var flow = PaymentFlow(request: WalletFixture.request, context: WalletFixture.context(try WalletFixture.config()))
        _ = flow.start()
        let offer = WalletFixture.paymentRequired([WalletFixture.entry(amount: "50000"), WalletFixture.entry(amount: "20000", timeout: 60)])
        guard case let .reserve(plan) = flow.handle(.response(offer)) else { Issue.record("expected reserve"); return }
        #expect(plan.requirement.index == 1)
        #expect(plan.micros == 20_000)
        #expect(plan.validAfter == 1_800_000_000 - 600)
        #expect(plan.validBefore == 1_800_000_000 + 60)  // min(maxTimeoutSeconds 60, ceiling 300)
        #expect(plan.nonce == "0x" + String(repeating: "11", count: 32))
        #expect(plan.host == "seller.test")
    }

    @Test func validityIsCappedByTheCeiling() throws {
        var config = try WalletFixture.config()
        config.payment.validityCeilingSeconds = 120
        var flow = PaymentFlow(request: WalletFixture.request, context: WalletFixture.context(config))
        _ = flow.start()
        guard case let .reserve(plan) = flow.handle(.response(WalletFixture.paymentRequired([WalletFixture.entry(timeout: 3600)]))) else { Issue.record("reserve"); return }
        #expect(plan.validBefore - 1_800_000_000 == 120)
    }

    @Test func paidRequestEchoesAcceptedVerbatimToTheSameURL() throws {
        var flow = PaymentFlow(request: WalletFixture.request, context: WalletFixture.context(try WalletFixture.config()))
        let (req, plan) = try toPaid(&flow)
        #expect(req.url == WalletFixture.request.url)
        let value = try #require(req.headers["PAYMENT-SIGNATURE"])
        let payload = try JSONValue.parse(try Base64.decode(value))
        #expect(payload["accepted"] == plan.requirement.raw)
        #expect(payload["payload"]?["authorization"]?["nonce"]?.stringValue == plan.nonce)
        #expect(payload["payload"]?["authorization"]?["validBefore"]?.stringValue == String(plan.validBefore))
        #expect(payload["accepted"]?["extra"]?.isNull == false)
    }

    @Test func successSettlesWithTheReceipt() throws {
        var flow = PaymentFlow(request: WalletFixture.request, context: WalletFixture.context(try WalletFixture.config()))
        _ = try toPaid(&flow)
        guard case let .finish(o) = flow.handle(.response(WalletFixture.response(200, headers: [("PAYMENT-RESPONSE", WalletFixture.receipt())], body: "{\"t\":1}"))) else {
            Issue.record("finish"); return
        }
        guard case .paid = o.kind else { Issue.record("kind"); return }
        #expect(o.resolution == .settle(transaction: "0x" + String(repeating: "ab", count: 32)))
        #expect(o.signatures == 1 && o.paidAttempts == 1)
    }

    @Test func serverErrorsResendTheSameBytesThenUnknown() throws {
        var flow = PaymentFlow(request: WalletFixture.request, context: WalletFixture.context(try WalletFixture.config()))
        let (first, _) = try toPaid(&flow)
        var sent = [first]
        var action = flow.handle(.response(WalletFixture.response(502)))
        while case let .sendPaid(req, _, _) = action {
            sent.append(req)
            action = flow.handle(.response(WalletFixture.response(500)))
        }
        #expect(sent.count == 3)
        #expect(Set(sent.map { $0.headers["PAYMENT-SIGNATURE"] ?? "" }).count == 1)
        guard case let .finish(o) = action, case .unknown = o.kind else { Issue.record("unknown"); return }
        #expect(o.signatures == 1)
        if case .unknown = o.resolution {} else { Issue.record("resolution should be unknown") }
    }

    @Test func transportFailuresThatNeverSentReleaseTheReservation() throws {
        var flow = PaymentFlow(request: WalletFixture.request, context: WalletFixture.context(try WalletFixture.config()))
        _ = try toPaid(&flow)
        let refused = HTTPError(.connectFailed, "refused", requestMayHaveBeenSent: false)
        var action = flow.handle(.transportFailed(refused))
        var n = 1
        while case .sendPaid = action { n += 1; action = flow.handle(.transportFailed(refused)) }
        #expect(n == 3)
        guard case let .finish(o) = action, case .release = o.resolution else { Issue.record("release"); return }
    }

    @Test func aTimeoutAfterSendingIsUnknownNotReleased() throws {
        var flow = PaymentFlow(request: WalletFixture.request, context: WalletFixture.context(try WalletFixture.config()))
        _ = try toPaid(&flow)
        var action = flow.handle(.transportFailed(HTTPError(.timeout, "t", requestMayHaveBeenSent: true)))
        while case .sendPaid = action {
            action = flow.handle(.transportFailed(HTTPError(.connectFailed, "c", requestMayHaveBeenSent: false)))
        }
        guard case let .finish(o) = action, case .unknown = o.resolution else { Issue.record("unknown"); return }
    }

    @Test func secondPaymentRequiredFailsWithoutSigningAgain() throws {
        var flow = PaymentFlow(request: WalletFixture.request, context: WalletFixture.context(try WalletFixture.config()))
        _ = try toPaid(&flow)
        let again = WalletFixture.response(402, headers: [("PAYMENT-RESPONSE", WalletFixture.receipt(success: false)), ("PAYMENT-REQUIRED", WalletFixture.offerHeader([WalletFixture.entry()]))])
        guard case let .finish(o) = flow.handle(.response(again)) else { Issue.record("finish"); return }
        guard case .paymentFailed = o.kind else { Issue.record("kind"); return }
        #expect(o.signatures == 1)
        if case .fail = o.resolution {} else { Issue.record("fail") }
    }

    @Test func overCapIsRefusedBeforeReserving() throws {
        var flow = PaymentFlow(request: WalletFixture.request, context: WalletFixture.context(try WalletFixture.config(), maxPrice: 5_000))
        _ = flow.start()
        guard case let .finish(o) = flow.handle(.response(WalletFixture.paymentRequired())), case let .refused(e) = o.kind else { Issue.record("refused"); return }
        #expect(e.code == "policy.no_acceptable_option")
        #expect(e.message.contains("per-request cap of 0.005 USDC"))
        #expect(o.resolution == .none && o.signatures == 0)
    }

    @Test func deniedHostIsRefusedBeforeReserving() throws {
        let config = try WalletFixture.config(#"{"hosts":{"deny":["*.test"]}}"#)
        var flow = PaymentFlow(request: WalletFixture.request, context: WalletFixture.context(config))
        _ = flow.start()
        guard case let .finish(o) = flow.handle(.response(WalletFixture.paymentRequired())), case let .refused(e) = o.kind else { Issue.record("refused"); return }
        #expect(e.code == "policy.host_denied")
    }

    @Test func approvalDeclinedReleases() throws {
        let config = try WalletFixture.config(#"{"confirmAbove":"0.005"}"#)
        var flow = PaymentFlow(request: WalletFixture.request, context: WalletFixture.context(config))
        _ = flow.start()
        _ = flow.handle(.response(WalletFixture.paymentRequired()))
        guard case .askApproval = flow.handle(.reserved) else { Issue.record("ask"); return }
        guard case let .finish(o) = flow.handle(.declined(code: "approval.declined", reason: "no")) else { Issue.record("finish"); return }
        #expect(o.signatures == 0)
        #expect(o.resolution == .release("no"))
    }

    @Test func callerPaymentHeaderIsRefused() throws {
        var req = WalletFixture.request
        req.headers.add("x-payment", "abc")
        var flow = PaymentFlow(request: req, context: WalletFixture.context(try WalletFixture.config()))
        guard case let .finish(o) = flow.start(), case let .refused(e) = o.kind else { Issue.record("refused"); return }
        #expect(e.code == "request.payment_header_set")
    }

    @Test func signingIsImpossibleBeforeReservation() throws {
        var flow = PaymentFlow(request: WalletFixture.request, context: WalletFixture.context(try WalletFixture.config()))
        _ = flow.start()
        _ = flow.handle(.response(WalletFixture.paymentRequired()))
        // A signature event before `.reserved` is not accepted: the flow ends without sending anything.
        guard case let .finish(o) = flow.handle(.signed("0x00")) else { Issue.record("finish"); return }
        #expect(o.paidAttempts == 0)
    }

    @Test func paymentIdentifierOnlyWhenAdvertised() throws {
        var flow = PaymentFlow(request: WalletFixture.request, context: WalletFixture.context(try WalletFixture.config()))
        _ = flow.start()
        let ext: JSONValue = ["payment-identifier": ["info": ["required": false]]]
        _ = flow.handle(.response(WalletFixture.paymentRequired([WalletFixture.entry()], extensions: ext)))
        _ = flow.handle(.reserved)
        guard case let .sendPaid(req, _, _) = flow.handle(.signed("0x00")) else { Issue.record("sendPaid"); return }
        let payload = try JSONValue.parse(try Base64.decode(try #require(req.headers["PAYMENT-SIGNATURE"])))
        #expect(payload["extensions"]?["payment-identifier"]?["info"]?["id"]?.stringValue == "pay_" + String(repeating: "0", count: 32))
    }
}
