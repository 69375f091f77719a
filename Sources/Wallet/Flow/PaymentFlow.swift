import Ledger
import PurseCore
import X402

/// The x402 payment of one call as a state machine with no IO.
///
/// The driver (`PaymentDriver`) calls one method per event and carries out the action each
/// returns: send unpaid → (payment required) [sign-in: prior payment? → sign → send signed in]
/// → policy and selection → (read the chain) → the seller's signed offer → reserve → (approve)
/// → sign → send paid → finish. The flow knows nothing of HTTP or MCP: a channel classifies the
/// answers (`UnpaidAnswer`, `SignInAnswer`, `PaidAnswer`) and attaches the payload or the sign-in.
///
/// Invariants the machine guarantees, whatever the events: nothing is signed before the
/// reservation is committed; at most one payment signature and one sign-in signature per call;
/// every resend carries the same payload; an ambiguous answer (no answer, a 5xx, a pending
/// settlement, a refusal after an ambiguous resend) is `unknown`, never `failed`, so reconcile
/// asks the chain and nothing is signed again; a refusal after the reservation releases it.
public struct PaymentFlow: Sendable {
    private enum State: Sendable {
        case idle
        case awaitingUnpaid
        case awaitingPriorPayment(PaymentRequired, SignInChallenge)
        case awaitingSignIn(PaymentRequired, SignInMessage)
        case awaitingSignInAnswer(PaymentRequired, SignInMessage)
        case planning
        case awaitingChain(OptionVerdict)
        case awaitingReservation(PaymentPlan)
        case awaitingApproval(PaymentPlan)
        case awaitingSignature(PaymentPlan)
        /// `ambiguous`: an earlier send of this payload may have been delivered (no answer, a 5xx).
        case awaitingPaid(PaymentPlan, PaymentPayload, attempt: Int, ambiguous: Bool)
        case finished
    }

    /// What is bought.
    public let resource: PaymentResource
    private let context: FlowContext
    private var state: State = .idle
    private var signatures = 0
    /// The offer, once a payment-required answer was read (the latest one, after a sign-in).
    public private(set) var offer: PaymentRequired?
    /// The verdict on every offered option, once an offer was read (with the reasons learned
    /// after selection, such as a missing Permit2 allowance).
    public private(set) var selection: Selection?
    /// What became of a sign-in challenge, when the 402 offered one.
    public private(set) var signInNote: SignInNote?
    /// Reasons options were refused after selection, in the order they were tried.
    private var lateRefusals: [OptionVerdict.Reason] = []

    /// Creates the flow for one call.
    public init(resource: PaymentResource, context: FlowContext) {
        self.resource = resource
        self.context = context
    }

    // MARK: - Events

    /// The first action: send the request unpaid.
    public mutating func start() -> FlowAction {
        guard case .idle = state else { return misuse() }
        state = .awaitingUnpaid
        return .sendUnpaid
    }

    /// The unpaid request was answered.
    public mutating func unpaidAnswered(_ answer: UnpaidAnswer) -> FlowAction {
        guard case .awaitingUnpaid = state else { return misuse() }
        switch answer {
        case .notPaymentRequired:
            return finish(FlowOutcome(kind: .notPaymentRequired))
        case let .unreadableOffer(error):
            return finish(FlowOutcome(kind: .refused(FlowRefusal(error))))
        case let .offer(offer):
            self.offer = offer
            return considerSignIn(offer)
        }
    }

    /// The ledger lookup for a prior payment answered (nil: none, or the lookup failed).
    public mutating func priorPaymentFound(_ prior: PriorPayment?) -> FlowAction {
        guard case let .awaitingPriorPayment(offer, challenge) = state else { return misuse() }
        guard let prior else {
            signInNote = .notPaidBefore
            return decide(offer)
        }
        guard let origin = resource.origin else {
            signInNote = .disabled
            return decide(offer)
        }
        if let refusal = challenge.refusal(origin: origin, chain: prior.network, now: context.now) {
            signInNote = .refused(refusal)
            return decide(offer)
        }
        guard let message = SignInMessage(challenge: challenge, address: context.payer, chain: prior.network) else {
            signInNote = .refused(SignInRefusal(.chainNotOffered, "the wallet paid on \(prior.network), which is not an EVM chain"))
            return decide(offer)
        }
        state = .awaitingSignIn(offer, message)
        return .signIn(message)
    }

    /// The sign-in message was signed: send the request with it.
    public mutating func signedIn(_ credential: SignInCredential) -> FlowAction {
        guard case let .awaitingSignIn(offer, message) = state, credential.message == message else { return misuse() }
        state = .awaitingSignInAnswer(offer, message)
        return .sendSignedIn(credential)
    }

    /// Signing in was not done (signing failed, or a dry run stops before signing): go on as if
    /// no sign-in had been offered.
    public mutating func signInSkipped(_ note: SignInNote) -> FlowAction {
        guard case let .awaitingSignIn(offer, _) = state else { return misuse() }
        signInNote = note
        return decide(offer)
    }

    /// The request sent with the sign-in was answered.
    public mutating func signInAnswered(_ answer: SignInAnswer) -> FlowAction {
        guard case let .awaitingSignInAnswer(_, message) = state else { return misuse() }
        switch answer {
        case .accepted:
            signInNote = .signedIn(address: message.address, chain: message.chain)
            return finish(FlowOutcome(kind: .signedIn))
        case let .paymentRequired(fresh):
            // Pay on the fresh offer: its sign-in fields (nonce, times) are the ones a paid
            // request must echo. No second sign-in.
            signInNote = .notAccepted(status: 402)
            offer = fresh
            return decide(fresh)
        case let .unreadableOffer(error):
            signInNote = .notAccepted(status: 402)
            return finish(FlowOutcome(kind: .refused(FlowRefusal(error))))
        case let .other(status):
            signInNote = .notAccepted(status: status)
            return finish(FlowOutcome(kind: .notPaymentRequired))
        }
    }

    /// A request could not be sent or got no answer. `mayHaveBeenSent` says whether the server
    /// may have seen it (which, for a paid request, means the payment may have been delivered).
    public mutating func transportFailed(_ error: FlowRefusal, mayHaveBeenSent: Bool) -> FlowAction {
        switch state {
        case .awaitingUnpaid, .awaitingSignInAnswer:
            return finish(FlowOutcome(kind: .refused(FlowRefusal(error, isTransportFailure: true))))
        case let .awaitingPaid(plan, payload, attempt, ambiguous):
            let sent = ambiguous || mayHaveBeenSent
            if attempt < context.maxPaidAttempts {
                state = .awaitingPaid(plan, payload, attempt: attempt + 1, ambiguous: sent)
                return .sendPaid(payload, attempt: attempt + 1, delayMilliseconds: Self.backoff(attempt))
            }
            if !sent {
                return finish(paid(plan, .refused(error), resolution: .release("the paid request never left: \(error.message)"), attempts: attempt))
            }
            let reason = "no answer to the paid request after \(attempt) attempts with the same signature: \(error.message)"
            return finish(paid(plan, .unknown(reason: reason), resolution: .unknown(reason), attempts: attempt))
        default:
            return misuse()
        }
    }

    /// The chain answered the question of `.readChain` (or could not be asked): finish planning
    /// the option, or refuse it and go on to the next cheapest.
    public mutating func chainAnswered(_ answer: Result<ChainAnswer, FlowRefusal>) -> FlowAction {
        guard case let .awaitingChain(verdict) = state, let offer else { return misuse() }
        switch answer {
        case let .success(a):
            return advance(verdict, AuthorizationPlanner.finish(verdict, offer: offer, context: context, answer: a))
        case let .failure(e):
            return refuseAndContinue(verdict, .init(code: "chain.read_failed", message: "the chain could not be asked what this payment needs: \(e.message) [\(e.code)]"))
        }
    }

    /// The ledger reserved the amount; the row is committed.
    public mutating func reserved() -> FlowAction {
        guard case let .awaitingReservation(plan) = state else { return misuse() }
        if context.policy.needsApproval(plan.micros) {
            state = .awaitingApproval(plan)
            return .askApproval(plan)
        }
        state = .awaitingSignature(plan)
        return .sign(plan)
    }

    /// The ledger refused (a budget would be crossed) or failed; nothing was reserved.
    public mutating func reservationRefused(_ refusal: FlowRefusal) -> FlowAction {
        guard case let .awaitingReservation(plan) = state else { return misuse() }
        return finish(FlowOutcome(kind: .refused(refusal), plan: plan))
    }

    /// The human approved.
    public mutating func approved() -> FlowAction {
        guard case let .awaitingApproval(plan) = state else { return misuse() }
        state = .awaitingSignature(plan)
        return .sign(plan)
    }

    /// The human declined, the question timed out, or no human can be asked.
    public mutating func declined(_ refusal: FlowRefusal) -> FlowAction {
        guard case let .awaitingApproval(plan) = state else { return misuse() }
        return finish(FlowOutcome(kind: .refused(refusal), plan: plan, resolution: .release(refusal.message)))
    }

    /// The authorization was signed: build the payload once and send it.
    public mutating func signed(_ signed: SchemePayload) -> FlowAction {
        guard case let .awaitingSignature(plan) = state else { return misuse() }
        signatures += 1
        let payload = PaymentPayload(offer: plan.offer, requirement: plan.requirement, scheme: signed.json,
                                     paymentIdentifier: plan.paymentIdentifier, schemeExtensions: signed.extensions)
        state = .awaitingPaid(plan, payload, attempt: 1, ambiguous: false)
        return .sendPaid(payload, attempt: 1, delayMilliseconds: 0)
    }

    /// Signing failed; nothing was signed.
    public mutating func signingFailed(_ refusal: FlowRefusal) -> FlowAction {
        guard case let .awaitingSignature(plan) = state else { return misuse() }
        return finish(FlowOutcome(kind: .refused(refusal), plan: plan, resolution: .release("signing failed: \(refusal.message)")))
    }

    /// The paid request was answered.
    public mutating func paidAnswered(_ answer: PaidAnswer) -> FlowAction {
        guard case let .awaitingPaid(plan, payload, attempt, ambiguous) = state else { return misuse() }
        switch answer {
        case let .delivered(receipt, problem):
            if let receipt, receipt.success {
                return finish(paid(plan, .paid, receipt: receipt, resolution: Self.settlement(receipt, plan: plan), attempts: attempt))
            }
            let why = problem.map { "the receipt could not be read (\($0))" }
                ?? (receipt == nil ? "the server sent no receipt" : "the receipt says the payment did not settle (\(receipt?.errorReason ?? "no reason"))")
            return finish(paid(plan, .paid, receipt: receipt, resolution: .unknown("content delivered but \(why); reconcile will ask the chain"), attempts: attempt))
        case let .rejected(receipt, reason):
            if ambiguous {
                // An earlier send may have settled: "already used" is then the chain's business.
                let why = "the server refused a resend (\(reason)) after an earlier attempt got no clear answer; reconcile will ask the chain"
                return finish(paid(plan, .unknown(reason: why), receipt: receipt, resolution: .unknown(why), attempts: attempt))
            }
            return finish(paid(plan, .paymentFailed(reason: reason), receipt: receipt, resolution: .fail(reason), attempts: attempt))
        case let .pending(_, receipt):
            let tx = receipt.transaction.map { " in \($0)" } ?? ""
            let why = "the facilitator broadcast the transfer\(tx) but has not confirmed it (settlement_pending); reconcile will ask the chain"
            return finish(paid(plan, .unknown(reason: why), receipt: receipt, resolution: .unknown(why), attempts: attempt))
        case let .serverError(status, receipt):
            if let receipt, receipt.success {
                return finish(paid(plan, .notDelivered(status: status), receipt: receipt, resolution: Self.settlement(receipt, plan: plan), attempts: attempt))
            }
            if attempt < context.maxPaidAttempts {
                state = .awaitingPaid(plan, payload, attempt: attempt + 1, ambiguous: true)
                return .sendPaid(payload, attempt: attempt + 1, delayMilliseconds: Self.backoff(attempt))
            }
            return finish(unconfirmed(plan, status: status, receipt: receipt, attempts: attempt))
        case let .unexpected(status, receipt):
            if let receipt, receipt.success {
                return finish(paid(plan, .notDelivered(status: status), receipt: receipt, resolution: Self.settlement(receipt, plan: plan), attempts: attempt))
            }
            return finish(unconfirmed(plan, status: status, receipt: receipt, attempts: attempt))
        case let .unreadable(reason):
            let why = "\(reason); settlement is not confirmed, reconcile will ask the chain"
            return finish(paid(plan, .unknown(reason: why), resolution: .unknown(why), attempts: attempt))
        }
    }

    // MARK: - Decisions

    /// A 402 that offers a sign-in: if the policy and channel allow it, first ask the ledger
    /// whether this wallet already paid this resource; otherwise go straight to paying.
    private mutating func considerSignIn(_ offer: PaymentRequired) -> FlowAction {
        // A host the policy refuses gets no signature of any kind: decide() refuses it.
        guard let found = offer.signInChallenge, context.policy.hostRefusal(resource.host) == nil else { return decide(offer) }
        guard context.signIn, let key = resource.key else {
            signInNote = .disabled
            return decide(offer)
        }
        switch found {
        case let .failure(error):
            signInNote = .unreadable(error)
            return decide(offer)
        case let .success(challenge):
            state = .awaitingPriorPayment(offer, challenge)
            return .findPriorPayment(payer: context.payer, resource: key)
        }
    }

    /// Policy before money: host lists, then the options (network, asset, scheme, flow, cap), then
    /// the cheapest allowed option's authorization (asking the chain when its method needs it),
    /// then the seller's signed offer for it, then a plan with every value fixed. The same steps,
    /// in the same order, for a payment and a dry run.
    private mutating func decide(_ offer: PaymentRequired) -> FlowAction {
        if let refusal = context.policy.hostRefusal(resource.host) { return finish(FlowOutcome(kind: .refused(FlowRefusal(refusal)))) }
        self.offer = offer
        lateRefusals = []
        selection = RequirementSelector.select(offer, policy: context.policy.selectionPolicy(maxPrice: context.maxPrice))
        return planNext()
    }

    /// Plans the best remaining candidate, or refuses when none is left.
    private mutating func planNext() -> FlowAction {
        guard let offer, let selection else { return misuse() }
        guard let chosen = selection.chosen else {
            let said = offer.error.map { "\n(server said: \($0))" } ?? ""
            // When options passed the policy but the chain ruled them out (a missing Permit2
            // allowance), the cheapest one's reason is the answer, with its own code.
            if let first = lateRefusals.first {
                let others = selection.verdicts.count > 1 ? "\nevery option:\n" + selection.refusalSummary : ""
                return finish(FlowOutcome(kind: .refused(FlowRefusal(code: first.code, message: first.message + others + said))))
            }
            let why = "no acceptable payment option:\n" + selection.refusalSummary + said
            return finish(FlowOutcome(kind: .refused(FlowRefusal(code: "policy.no_acceptable_option", message: why))))
        }
        guard let method = chosen.method, context.payerAccount(method.family) != nil else {
            return refuseAndContinue(chosen, .init(code: "option.no_key", message: "this wallet has no key for \(chosen.method?.family.rawValue ?? "this") network"))
        }
        return advance(chosen, AuthorizationPlanner.start(chosen, offer: offer, context: context))
    }

    /// Carries out one planning step for `verdict`.
    private mutating func advance(_ verdict: OptionVerdict, _ step: AuthorizationPlanner.Step) -> FlowAction {
        switch step {
        case let .ask(question):
            state = .awaitingChain(verdict)
            return .readChain(question)
        case let .refuse(reason):
            return refuseAndContinue(verdict, reason)
        case let .ready(authorization):
            guard let offer, let requirement = verdict.requirement, let method = verdict.method, let asset = verdict.asset,
                  let micros = verdict.micros, let payTo = verdict.payTo, let token = verdict.token
            else { return misuse() }
            let resourceURL = offer.resource?["url"]?.stringValue ?? requirement.resource ?? resource.url
            let evidence: OfferEvidence?
            switch OfferCheck.verify(offer: offer, requirement: requirement, payTo: payTo, resourceURL: resourceURL, now: context.now,
                                     trustedSigners: context.offerSigners) {
            case let .success(e): evidence = e
            case let .failure(error): return finish(FlowOutcome(kind: .refused(FlowRefusal(error))))
            }
            let plan = PaymentPlan(
                offer: offer, requirement: requirement, method: method, asset: asset, token: token, payTo: payTo, micros: micros,
                resource: resource, authorization: authorization,
                paymentIdentifier: offer.advertisesPaymentIdentifier ? context.paymentIdentifier : nil, offerEvidence: evidence)
            state = .awaitingReservation(plan)
            return .reserve(plan)
        }
    }

    /// Refuses `verdict` for a reason found after selection and plans the next candidate.
    private mutating func refuseAndContinue(_ verdict: OptionVerdict, _ reason: OptionVerdict.Reason) -> FlowAction {
        lateRefusals.append(reason)
        selection = selection?.refusing(index: verdict.index, reason)
        state = .planning
        return planNext()
    }

    private func paid(_ plan: PaymentPlan, _ kind: FlowOutcome.Kind, receipt: SettlementResponse? = nil,
                      resolution: FlowOutcome.Resolution, attempts: Int) -> FlowOutcome {
        var evidence: ReceiptEvidence?
        var charge: SettledCharge?
        if case .settle = resolution {
            evidence = ReceiptCheck.check(settlement: receipt, plan: plan, now: context.now, trustedSigners: context.offerSigners)
            charge = SettledChargeDecision.charge(plan: plan, receipt: receipt)
        }
        return FlowOutcome(kind: kind, plan: plan, receipt: receipt, resolution: resolution, signatures: signatures, paidAttempts: attempts,
                           receiptEvidence: evidence, charge: charge)
    }

    /// What a successful receipt settles: its transaction, unless it names another network than
    /// the one the payment was signed for. A hash from another chain proves nothing about this
    /// authorization, so the row stays counted as unknown and reconcile asks the right chain.
    /// A network the receipt leaves out, or writes in a form Purse does not know, is not held
    /// against it.
    static func settlement(_ receipt: SettlementResponse, plan: PaymentPlan) -> FlowOutcome.Resolution {
        if let named = receipt.network, let network = Network.parse(named), let signed = plan.requirement.network, network != signed {
            return .unknown("the receipt reports settlement on \(network.caip2), but the payment was signed for \(signed.caip2); reconcile will ask the chain")
        }
        return .settle(transaction: receipt.transaction)
    }

    private func unconfirmed(_ plan: PaymentPlan, status: Int, receipt: SettlementResponse?, attempts: Int) -> FlowOutcome {
        let reason = "the paid request got HTTP \(status)\(receipt?.errorReason.map { " (\($0))" } ?? ""); settlement is not confirmed"
        return paid(plan, .unknown(reason: reason), receipt: receipt, resolution: .unknown(reason), attempts: attempts)
    }

    /// Ends the flow. Every call site after a reservation names its resolution (release, settle,
    /// fail, unknown); a refusal before the reservation has nothing to release.
    private mutating func finish(_ outcome: FlowOutcome) -> FlowAction {
        state = .finished
        var outcome = outcome
        outcome.signatures = signatures
        outcome.signIn = signInNote
        return .finish(outcome)
    }

    /// An event that does not fit the state: stop, releasing a reservation that nothing was
    /// signed for, and keeping a sent payment counted (`unknown`) for reconcile.
    private mutating func misuse() -> FlowAction {
        let plan = currentPlan
        var sent = false
        if case .awaitingPaid = state { sent = true }
        let reserved: Bool
        switch state {
        case .awaitingApproval, .awaitingSignature, .awaitingPaid: reserved = true
        default: reserved = false
        }
        state = .finished
        let refusal = FlowRefusal(code: "flow.unexpected_event", message: "internal error: unexpected event in the payment flow")
        let resolution: FlowOutcome.Resolution = !reserved ? .none : (sent ? .unknown(refusal.message) : .release(refusal.message))
        return .finish(FlowOutcome(kind: .refused(refusal), plan: plan, resolution: resolution, signatures: signatures, signIn: signInNote))
    }

    private var currentPlan: PaymentPlan? {
        switch state {
        case let .awaitingReservation(p), let .awaitingApproval(p), let .awaitingSignature(p): return p
        case let .awaitingPaid(p, _, _, _): return p
        default: return nil
        }
    }

    /// Delay before resend number `attempt + 1`.
    static func backoff(_ attempt: Int) -> Int { min(250 * attempt * attempt, 2_000) }
}
