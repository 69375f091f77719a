import HTTP
import PurseCore
import X402

/// The x402 payment of one call as a state machine with no IO.
///
/// The driver (`Interceptor`) feeds it events and carries out the actions it returns:
/// send unpaid → (402) parse and select → reserve → (approve) → sign → send paid → finish.
/// Invariants the machine guarantees, whatever the events: nothing is signed before the
/// reservation is committed; at most one signature per call; every resend carries the same
/// bytes; the paid request goes to the same URL as the one that asked for payment.
public struct PaymentFlow: Sendable {
    private enum State: Sendable {
        case idle
        case awaitingUnpaid
        case awaitingReservation(PaymentPlan)
        case awaitingApproval(PaymentPlan)
        case awaitingSignature(PaymentPlan)
        case awaitingPaid(PaymentPlan, HTTPRequest, attempt: Int, anySent: Bool, receipt: SettlementResponse?)
        case finished
    }

    /// The names of payment headers a caller may not set itself.
    public static let paymentHeaderNames = ["PAYMENT-SIGNATURE", "X-PAYMENT"]

    private let request: HTTPRequest
    private let context: FlowContext
    private var state: State = .idle
    private var signatures = 0
    /// The 402 that asked for payment, returned with any refusal that follows it.
    private var offerResponse: HTTPResponse?

    /// Creates the flow for one request.
    public init(request: HTTPRequest, context: FlowContext) {
        self.request = request
        self.context = context
    }

    /// The first action: send the request unpaid (or refuse a request that carries its own payment header).
    public mutating func start() -> FlowAction {
        guard case .idle = state else { return finish(.refused(PurseError("flow.misuse", "the flow was already started")), nil, nil) }
        for name in Self.paymentHeaderNames where request.headers.contains(name) {
            return finish(.refused(PurseError("request.payment_header_set", "the request already carries a \(name) header; Purse makes payments itself")), nil, nil)
        }
        state = .awaitingUnpaid
        return .send(request)
    }

    /// Advances the machine with what happened, returning the next action.
    public mutating func handle(_ event: FlowEvent) -> FlowAction {
        switch (state, event) {
        case let (.awaitingUnpaid, .response(r)):
            return unpaidResponse(r)
        case let (.awaitingUnpaid, .transportFailed(e)):
            return finish(.refused(e), nil, nil)

        case let (.awaitingReservation(plan), .reserved):
            if context.policy.needsApproval(micros: plan.micros) {
                state = .awaitingApproval(plan)
                return .askApproval(plan)
            }
            state = .awaitingSignature(plan)
            return .sign(plan)
        case let (.awaitingReservation(plan), .reservationRefused(e)):
            return finish(.refused(e), nil, plan)

        case let (.awaitingApproval(plan), .approved):
            state = .awaitingSignature(plan)
            return .sign(plan)
        case let (.awaitingApproval(plan), .declined(code, reason)):
            return finish(.refused(PurseError(code, reason)), nil, plan, resolution: .release(reason))

        case let (.awaitingSignature(plan), .signed(signature)):
            signatures += 1
            let auth = SignedAuthorization(
                from: plan.payer, to: plan.requirement.payTo, value: String(plan.requirement.amount.value),
                validAfter: String(plan.validAfter), validBefore: String(plan.validBefore), nonce: plan.nonce, signature: signature)
            let header = PaymentHeader(offer: plan.offer, requirement: plan.requirement, authorization: auth,
                                       paymentIdentifier: plan.offer.advertisesPaymentIdentifier ? plan.paymentIdentifier : nil)
            var paid = request
            paid.headers.set(header.name, header.value)
            state = .awaitingPaid(plan, paid, attempt: 1, anySent: false, receipt: nil)
            return .sendPaid(paid, attempt: 1, delayMilliseconds: 0)
        case let (.awaitingSignature(plan), .signingFailed(e)):
            return finish(.refused(e), nil, plan, resolution: .release("signing failed: \(e.message)"))

        case let (.awaitingPaid(plan, paid, attempt, _, _), .response(r)):
            return paidResponse(r, plan: plan, paid: paid, attempt: attempt)
        case let (.awaitingPaid(plan, paid, attempt, anySent, receipt), .transportFailed(e)):
            let sent = anySent || e.requestMayHaveBeenSent
            if attempt < context.maxPaidAttempts {
                state = .awaitingPaid(plan, paid, attempt: attempt + 1, anySent: sent, receipt: receipt)
                return .sendPaid(paid, attempt: attempt + 1, delayMilliseconds: Self.backoff(attempt))
            }
            if !sent {
                return finish(.refused(e), nil, plan, resolution: .release("the paid request never left: \(e.message)"), attempts: attempt)
            }
            let reason = "no answer to the paid request after \(attempt) attempts with the same signature: \(e.message)"
            return finish(.unknown(reason: reason), nil, plan, resolution: .unknown(reason), attempts: attempt)

        default:
            return finish(.refused(PurseError("flow.unexpected_event", "internal error: unexpected event in the payment flow")), nil, currentPlan,
                          resolution: currentPlan == nil ? FlowOutcome.Resolution.none : .unknown("internal error: unexpected event"))
        }
    }

    private var currentPlan: PaymentPlan? {
        switch state {
        case let .awaitingReservation(p), let .awaitingApproval(p), let .awaitingSignature(p): return p
        case let .awaitingPaid(p, _, _, _, _): return p
        default: return nil
        }
    }

    private mutating func unpaidResponse(_ r: HTTPResponse) -> FlowAction {
        offerResponse = r
        guard r.status == 402 else {
            state = .finished
            return .finish(FlowOutcome(kind: .notPaymentRequired, response: r, plan: nil, receipt: nil, resolution: .none, signatures: 0, paidAttempts: 0))
        }
        let offer: PaymentRequired
        do {
            offer = try PaymentRequiredParser.parse(header: { r.headers[$0] }, body: r.body)
        } catch {
            return finish(.refused(error), r, nil)
        }
        let host = HTTPURLParts.host(of: request.url) ?? ""
        if let refusal = context.policy.hostRefusal(host) { return finish(.refused(refusal), r, nil) }
        let selection = RequirementSelector.select(offer, policy: context.policy.selectionPolicy(maxPriceMicros: context.maxPriceMicros))
        guard let chosen = selection.chosen, let requirement = chosen.requirement, let asset = chosen.asset,
              let micros = chosen.micros, let chainId = requirement.network?.chainId
        else {
            var why = "no acceptable payment option:\n" + selection.refusalSummary
            if let e = offer.error { why += "\n(server said: \(e))" }
            return finish(.refused(PolicyRefusal(code: "policy.no_acceptable_option", message: why)), r, nil)
        }
        let window = min(requirement.maxTimeoutSeconds, context.validityCeilingSeconds)
        let plan = PaymentPlan(
            offer: offer, requirement: requirement, asset: asset, micros: micros, host: HostPattern.normalize(host),
            url: request.url, method: request.method, payer: context.payer, chainId: chainId,
            validAfter: context.now - 600, validBefore: context.now + window, nonce: Hex.encode(context.nonce),
            paymentIdentifier: context.paymentIdentifier)
        state = .awaitingReservation(plan)
        return .reserve(plan)
    }

    private mutating func paidResponse(_ r: HTTPResponse, plan: PaymentPlan, paid: HTTPRequest, attempt: Int) -> FlowAction {
        let receipt: SettlementResponse?
        var receiptProblem: String?
        do { receipt = try SettlementResponse.parse(header: { r.headers[$0] }) } catch {
            receipt = nil
            receiptProblem = error.message
        }
        switch r.status {
        case 200..<300:
            if let receipt, receipt.success {
                return finish(.paid, r, plan, receipt: receipt, resolution: .settle(transaction: receipt.transaction), attempts: attempt)
            }
            let why = receiptProblem.map { "the receipt could not be read (\($0))" }
                ?? (receipt == nil ? "the server sent no receipt" : "the receipt says the payment did not settle (\(receipt?.errorReason ?? "no reason"))")
            return finish(.paid, r, plan, receipt: receipt, resolution: .unknown("content delivered but \(why); reconcile will ask the chain"), attempts: attempt)
        case 402:
            let reason = receipt?.errorReason
                ?? (try? PaymentRequiredParser.parse(header: { r.headers[$0] }, body: r.body))?.error
                ?? "the server answered 402 again"
            return finish(.paymentFailed(reason: reason), r, plan, receipt: receipt, resolution: .fail(reason), attempts: attempt)
        case 500..<600 where attempt < context.maxPaidAttempts:
            state = .awaitingPaid(plan, paid, attempt: attempt + 1, anySent: true, receipt: receipt)
            return .sendPaid(paid, attempt: attempt + 1, delayMilliseconds: Self.backoff(attempt))
        default:
            if let receipt, receipt.success {
                return finish(.paid, r, plan, receipt: receipt, resolution: .settle(transaction: receipt.transaction), attempts: attempt)
            }
            let reason = "the paid request got HTTP \(r.status)\(receipt?.errorReason.map { " (\($0))" } ?? ""); settlement is not confirmed"
            return finish(.unknown(reason: reason), r, plan, receipt: receipt, resolution: .unknown(reason), attempts: attempt)
        }
    }

    private mutating func finish(_ kind: FlowOutcome.Kind, _ response: HTTPResponse?, _ plan: PaymentPlan?,
                                 receipt: SettlementResponse? = nil, resolution: FlowOutcome.Resolution? = nil, attempts: Int = 0) -> FlowAction {
        state = .finished
        let res: FlowOutcome.Resolution
        if let resolution { res = resolution } else if case let .refused(e) = kind, plan != nil, signatures == 0 {
            res = .release(e.message)
        } else {
            res = .none
        }
        return .finish(FlowOutcome(kind: kind, response: response ?? (attempts == 0 ? offerResponse : nil), plan: plan, receipt: receipt,
                                   resolution: res, signatures: signatures, paidAttempts: attempts))
    }

    /// Delay before resend number `attempt + 1`.
    static func backoff(_ attempt: Int) -> Int { min(250 * attempt * attempt, 2_000) }
}
