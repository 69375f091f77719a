import BlockingWork
import Foundation
import HTTP
import Ledger
import PurseCore
import X402

/// Drives `PaymentFlow` with the real edges: a channel (HTTP, MCP), the ledger, the signer and
/// the approver. Every way Purse pays or prices goes through here: `purse fetch` and `paid_fetch`
/// call `fetch`; `purse quote` and the `quote` tool call `quote`, which runs the same flow as a
/// dry run up to the reservation and asks the same `BudgetCheck` without reserving.
public final class PaymentDriver: Sendable {
    let http: any HTTPClient
    let ledger: any PaymentLedger
    let signer: any PaymentSigner
    let chain: any ChainReader
    let config: PurseConfig
    /// The policy in effect.
    public let policy: Policy
    /// The session every payment of this process belongs to.
    public let sessionID: String
    let clock: @Sendable () -> Date
    let random: @Sendable (Int) -> [UInt8]

    /// Creates a driver for one session. `chain` answers the flow's read-only chain questions
    /// (a Permit2 allowance); by default the configured RPC nodes over `http`.
    public init(http: any HTTPClient, ledger: any PaymentLedger, signer: any PaymentSigner, config: PurseConfig, sessionID: String,
                chain: (any ChainReader)? = nil,
                clock: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable (Int) -> [UInt8] = PaymentDriver.systemRandom) {
        self.http = http
        self.ledger = ledger
        self.signer = signer
        self.chain = chain ?? RPCChainReader(config: config, http: http)
        self.config = config
        self.policy = Policy(config: config)
        self.sessionID = sessionID
        self.clock = clock
        self.random = random
    }

    /// Bytes from the system's CSPRNG (on Linux one `getentropy` for the lot).
    public static func systemRandom(_ n: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: n)
        var filled = 0
        #if os(Linux)
        // One getentropy(3) (a single getrandom system call) for up to 256 bytes: the generator
        // below makes one call per 8 bytes, four system calls per nonce. Should it fail, the
        // generator fills the lot.
        if n <= 256, out.withUnsafeMutableBytes({ getentropy($0.baseAddress!, n) }) == 0 { filled = n }
        #endif
        var g = SystemRandomNumberGenerator()
        while filled < n {
            withUnsafeBytes(of: g.next() as UInt64) { word in
                for b in word where filled < n { out[filled] = b; filled += 1 }
            }
        }
        return out
    }

    // MARK: - HTTP

    /// Fetches `request`, paying if it answers 402 and the policy, budgets and human allow.
    ///
    /// The work runs in its own task: cancelling the caller never leaves a payment half-recorded.
    public func fetch(_ request: HTTPRequest, maxPrice: Micros? = nil, approver: any PaymentApprover = NoApprover()) async -> FetchResult {
        let channel: HTTPPaymentChannel
        do { channel = try HTTPPaymentChannel(request: request, http: http) } catch {
            return FetchResult(outcome: FlowOutcome(kind: .refused(error)), response: nil, paymentID: nil, budget: await budget(host: nil))
        }
        let run = await Task(executorPreference: BlockingWorkers.current) { await self.pay(channel, maxPrice: maxPrice, approver: approver) }.value
        return FetchResult(outcome: run.outcome, response: run.response, paymentID: run.paymentID, budget: await budget(after: run))
    }

    /// Sends `request` unpaid and says what Purse would pay: the same flow and budget check as
    /// `fetch`, stopped before anything is reserved or signed.
    public func quote(_ request: HTTPRequest, maxPrice: Micros? = nil) async -> QuoteResult {
        let channel: HTTPPaymentChannel
        do { channel = try HTTPPaymentChannel(request: request, http: http) } catch {
            return QuoteResult(response: nil, offer: nil, selection: nil, plan: nil, refusal: error, signIn: nil)
        }
        let run = await dryRun(channel, maxPrice: maxPrice)
        return QuoteResult(response: run.response, offer: run.offer, selection: run.selection, plan: run.plan, refusal: run.refusal,
                           signIn: run.signIn)
    }

    /// The terminal approver for one call of this session (`TerminalApprover`): with
    /// `approvalID`, it uses that approval; without, it files a new one for the human.
    public func terminalApprover(approvalID: String?) -> TerminalApprover {
        TerminalApprover(ledger: ledger, sessionID: sessionID, validitySeconds: config.payment.approvalValiditySeconds,
                         approvalID: approvalID, clock: clock)
    }

    // MARK: - Any channel

    /// Pays over `channel` if it asks and everything allows: the one payment loop.
    public func pay<C: PaymentChannel>(_ channel: C, maxPrice: Micros?, approver: any PaymentApprover) async -> PaymentRun<C.Response> {
        var flow = PaymentFlow(resource: channel.resource, context: context(maxPrice: maxPrice, resource: channel.resource,
                                                                            signIn: channel.supportsSignIn))
        if let refusal = channel.preflight() { return PaymentRun(outcome: FlowOutcome(kind: .refused(refusal)), response: nil, paymentID: nil, budgetAfter: nil) }
        var action = flow.start()
        var rowID: Int64?
        var plan: PaymentPlan?
        /// A sent mark that trails the send (`markSentQueued`): queued once the flow ends.
        var trailingMark: (payload: String, at: Date)?
        var last: C.Response?
        var usageBefore: BudgetUsage?
        while true {
            if let next = await lookUp(action, &flow, channel, &last) {
                action = next
                continue
            }
            switch action {
            case .sendUnpaid, .readChain, .findPriorPayment:
                preconditionFailure("handled by lookUp")
            case let .signIn(message):
                do {
                    let signature = try signer.signIn(message)
                    action = flow.signedIn(SignInCredential(message: message, signature: signature))
                } catch { action = flow.signInSkipped(.failed(FlowRefusal(error))) }
            case let .sendSignedIn(credential):
                (action, last) = Self.deliver(await channel.sendSignedIn(credential), to: &flow) { flow, r in flow.signInAnswered(channel.signInAnswer(r)) }
            case let .reserve(p):
                plan = p
                do {
                    let payment = newPayment(p)
                    let limits = policy.budgetLimits
                    let now = clock()
                    let reservation = try await LedgerWork.run { [ledger] () throws(LedgerReserveError) in
                        try ledger.reserveWithUsage(payment, limits: limits, now: now)
                    }
                    rowID = reservation.record.id
                    usageBefore = reservation.usageBefore
                    FaultInjection.point("reserved")
                    action = flow.reserved()
                } catch {
                    action = flow.reservationRefused(FlowRefusal(error))
                }
            case let .askApproval(p):
                let left = await budget(host: p.host)?.summary ?? "unknown"
                if let refusal = await approver.approve(p, budgetLeft: left) { action = flow.declined(refusal) } else { action = flow.approved() }
            case let .sign(p):
                do {
                    let signed = try signer.sign(p)
                    FaultInjection.point("signed")
                    action = flow.signed(signed)
                } catch { action = flow.signingFailed(FlowRefusal(error)) }
            case let .sendPaid(payload, attempt, delay):
                if attempt == 1, let id = rowID {
                    let now = clock()
                    let signedPayload = payload.documentText
                    let durable = plan?.method.reconcileNeedsSignedPayload ?? false
                    // A mark that may trail is queued when the flow ends, ahead of the outcome's
                    // write (`markSentQueued`); a durable one, or one the backend cannot queue,
                    // is written before the payload leaves.
                    if !durable, ledger.queuesWrites {
                        trailingMark = (signedPayload, now)
                    } else {
                        do {
                            try await LedgerWork.run { [ledger] () throws(LedgerError) in
                                try ledger.markSent(id: id, signedPayload: signedPayload, durable: durable, now: now)
                            }
                        } catch {
                            // The row could not be marked: the signed payload must not leave.
                            let outcome = FlowOutcome(kind: .refused(FlowRefusal(error)), plan: plan,
                                                      resolution: .release("the ledger could not record the payment: \(error.message)"), signatures: 1)
                            return await record(outcome, rowID: id, usageBefore: nil, status: nil, response: nil)
                        }
                    }
                    FaultInjection.point("sent")
                }
                if delay > 0 { try? await Task.sleep(for: .milliseconds(delay)) }
                (action, last) = Self.deliver(await channel.sendPaid(payload), to: &flow) { flow, r in flow.paidAnswered(channel.paidAnswer(r)) }
            case let .finish(outcome):
                if let mark = trailingMark, let id = rowID { await markTrailing(mark, id: id) }
                if rowID != nil, outcome.paidAttempts > 0 { FaultInjection.point("answered") }
                return await record(outcome, rowID: rowID, usageBefore: usageBefore, status: last.flatMap(channel.status(of:)), response: last)
            }
        }
    }

    /// Runs the flow over `channel` up to the reservation, then checks the budget read-only.
    public func dryRun<C: PaymentChannel>(_ channel: C, maxPrice: Micros?) async -> DryRun<C.Response> {
        var flow = PaymentFlow(resource: channel.resource, context: context(maxPrice: maxPrice, resource: channel.resource,
                                                                            signIn: channel.supportsSignIn))
        if let refusal = channel.preflight() { return DryRun(response: nil, offer: nil, selection: nil, plan: nil, refusal: refusal, signIn: nil) }
        var action = flow.start()
        var last: C.Response?
        while true {
            // The look-ups only read, so a dry run makes them too: its verdict is then the payment's.
            if let next = await lookUp(action, &flow, channel, &last) {
                action = next
                continue
            }
            switch action {
            case .sendUnpaid, .readChain, .findPriorPayment:
                preconditionFailure("handled by lookUp")
            case let .signIn(message):
                // A dry run signs nothing: it says a sign-in would come first, then prices the payment.
                action = flow.signInSkipped(.wouldSignIn(chain: message.chain))
            case let .reserve(plan):
                return DryRun(response: last, offer: flow.offer, selection: flow.selection, plan: plan, refusal: await budgetRefusal(plan),
                              signIn: flow.signInNote)
            case let .finish(outcome):
                var refusal: FlowRefusal?
                if case let .refused(e) = outcome.kind { refusal = e }
                return DryRun(response: last, offer: flow.offer, selection: flow.selection, plan: outcome.plan, refusal: refusal,
                              signIn: flow.signInNote)
            case .askApproval, .sign, .sendPaid, .sendSignedIn:
                // Unreachable: a dry run stops at the reservation.
                return DryRun(response: last, offer: flow.offer, selection: flow.selection, plan: nil,
                              refusal: FlowRefusal(code: "flow.unexpected_event", message: "internal error: a dry run went past the reservation"),
                              signIn: flow.signInNote)
            }
        }
    }

    /// The budget decision `reserve` would make, on a read-only snapshot of the same sums.
    public func budgetRefusal(_ plan: PaymentPlan) async -> FlowRefusal? {
        let (sessionID, now, ledger) = (self.sessionID, clock(), self.ledger)
        do {
            let usage = try await LedgerWork.run { () throws(LedgerError) in
                try ledger.usage(sessionID: sessionID, host: plan.host, allHosts: false, now: now)
            }
            return BudgetCheck.refusal(amount: plan.micros, host: plan.host, symbol: plan.asset.symbol, usage: usage,
                                       limits: policy.budgetLimits).map { FlowRefusal($0) }
        } catch { return FlowRefusal(error) }
    }

    /// The budget right now for this session (and a host).
    public func budget(host: HostName?) async -> BudgetSnapshot? {
        let (sessionID, now, ledger) = (self.sessionID, clock(), self.ledger)
        guard let u = try? await LedgerWork.run({ () throws(LedgerError) in
            try ledger.usage(sessionID: sessionID, host: host, allHosts: false, now: now)
        }) else { return nil }
        return snapshot(u, plus: .zero)
    }

    /// The budget after a run: the one its payment recorded, else read now.
    func budget(after run: PaymentRun<some Sendable>) async -> BudgetSnapshot? {
        if let known = run.budgetAfter { return known }
        return await budget(host: run.outcome.plan?.host)
    }

    /// The snapshot of `usage` with `micros` more spent in the session and the day; nil on overflow.
    private func snapshot(_ usage: BudgetUsage, plus micros: Micros) -> BudgetSnapshot? {
        guard let session = usage.sessionSpent.adding(micros), let daily = usage.dailySpent.adding(micros) else { return nil }
        return BudgetSnapshot(sessionSpent: session, sessionLimit: policy.config.sessionBudget,
                              dailySpent: daily, dailyLimit: policy.config.dailyBudget, symbol: policy.symbol)
    }

    // MARK: - Plumbing

    /// This wallet's latest settled payment for `resource`, or nil (also when the ledger cannot
    /// be read: then Purse simply does not sign in).
    private func priorPayment(payer: Address, resource: String) async -> PriorPayment? {
        let ledger = self.ledger
        let row = try? await LedgerWork.run { () throws(LedgerError) in try ledger.paidResource(payer: payer, resource: resource) }
        return row.flatMap { $0 }.map { PriorPayment(paymentID: $0.id, network: $0.network) }
    }

    /// Feeds what a send gave to the flow: an answer through `answered` (which classifies it for
    /// the flow), a failure as a transport event. Returns the next action and the answer, if any.
    /// Carries out the actions that only read, which a payment and its dry run carry out alike:
    /// the unpaid request, a chain question, the look-up of an earlier payment for the resource.
    /// Nil for any other action.
    private func lookUp<C: PaymentChannel>(_ action: FlowAction, _ flow: inout PaymentFlow, _ channel: C,
                                           _ last: inout C.Response?) async -> FlowAction? {
        switch action {
        case .sendUnpaid:
            let (next, response) = Self.deliver(await channel.sendUnpaid(), to: &flow) { flow, r in flow.unpaidAnswered(channel.unpaidAnswer(r)) }
            last = response
            return next
        case let .readChain(question):
            return flow.chainAnswered(await chain.answer(question))
        case let .findPriorPayment(payer, resource):
            return flow.priorPaymentFound(await priorPayment(payer: payer, resource: resource))
        default:
            return nil
        }
    }

    private static func deliver<R>(_ sent: ChannelAnswer<R>, to flow: inout PaymentFlow,
                                   _ answered: (inout PaymentFlow, R) -> FlowAction) -> (FlowAction, R?) {
        switch sent {
        case let .answered(r): return (answered(&flow, r), r)
        case let .failed(e, mayHaveBeenSent): return (flow.transportFailed(e, mayHaveBeenSent: mayHaveBeenSent), nil)
        }
    }

    private func context(maxPrice: Micros?, resource: PaymentResource, signIn: Bool) -> FlowContext {
        // 32 random bytes always make a nonce.
        let nonce = try! Nonce32(bytes: random(32))
        return FlowContext(
            payer: signer.address, now: Int64(clock().timeIntervalSince1970), nonce: nonce,
            paymentIdentifier: PaymentIdentifier(random: random(16)), policy: policy, maxPrice: maxPrice,
            validityCeilingSeconds: config.payment.validityCeilingSeconds, maxPaidAttempts: config.payment.maxPaidAttempts,
            signIn: signIn && config.payment.signIn, offerSigners: config.payment.offerSigners[resource.host] ?? [],
            solanaPayer: signer.solanaAddress, solanaPriceCaps: config.networks.compactMapValues(\.maxComputeUnitPrice))
    }

    /// The row a plan reserves: for a payment settled for its actual amount (`upto`), the signed
    /// maximum, kept as `maxAmountAtomic` once the charge replaces the amount.
    private func newPayment(_ plan: PaymentPlan) -> NewPayment {
        NewPayment(
            sessionID: sessionID, method: plan.resource.method, url: plan.resource.url, host: plan.host, network: plan.network,
            asset: plan.token, assetSymbol: plan.asset.symbol, decimals: plan.asset.decimals, payTo: plan.payTo,
            amountAtomic: plan.requirement.amount.value, micros: plan.micros, scheme: plan.requirement.scheme,
            x402Version: plan.requirement.x402Version, authorization: plan.reference, validBefore: plan.validBefore,
            payer: plan.payer, maxAmountAtomic: plan.method.settlesActualAmount ? plan.requirement.amount.value : nil,
            paymentId: plan.paymentIdentifier?.value, resource: plan.resource.key, offer: plan.offerEvidence?.json.encoded())
    }

    /// Writes the outcome's resolution to the row (when one was reserved). With the usage the
    /// reservation read, the run carries the budget after it: those sums plus what the row now
    /// counts, exact as of the reservation, so the result needs no second read of the ledger.
    ///
    /// The write is queued behind the answer when the ledger can (`recordQueued`): the row is
    /// already `sent`, which counts as `settled` does, this process reads its own writes, and a
    /// crash before the write leaves the row `sent` for reconcile.
    private func record<R>(_ outcome: FlowOutcome, rowID: Int64?, usageBefore: BudgetUsage?, status: Int?, response: R?) async -> PaymentRun<R> {
        if let id = rowID, let write = outcome.ledgerWrite(httpStatus: status) {
            let now = clock()
            let ledger = self.ledger
            if !ledger.recordQueued(write, id: id, now: now, failed: { Self.unrecorded(id, $0) }) {
                do {
                    try await LedgerWork.run { () throws(LedgerError) in try ledger.record(write, id: id, now: now) }
                } catch {
                    Self.unrecorded(id, error)
                    return PaymentRun(outcome: outcome, response: response, paymentID: rowID, budgetAfter: nil)
                }
            }
        }
        var after: BudgetSnapshot?
        if let usageBefore, let plan = outcome.plan { after = snapshot(usageBefore, plus: outcome.countedMicros(reserved: plan.micros)) }
        return PaymentRun(outcome: outcome, response: response, paymentID: rowID, budgetAfter: after)
    }

    /// Queues a sent mark that trailed the send, ahead of the outcome's write; written now if the
    /// ledger no longer queues (it said it would).
    private func markTrailing(_ mark: (payload: String, at: Date), id: Int64) async {
        let ledger = self.ledger
        if ledger.markSentQueued(id: id, signedPayload: mark.payload, now: mark.at, failed: { Self.unmarked(id, $0) }) { return }
        do {
            try await LedgerWork.run { () throws(LedgerError) in try ledger.markSent(id: id, signedPayload: mark.payload, durable: false, now: mark.at) }
        } catch { Self.unmarked(id, error) }
    }

    /// Says that a queued sent mark could not be written: the payment has left, and its row stays
    /// reserved and counted; reconcile resolves it from its nonce, as it would a sent row.
    private static func unmarked(_ id: Int64, _ error: LedgerError) {
        StandardError.write("purse: could not mark payment \(id) sent (it stays reserved and counted until reconcile): \(error.message)\n")
    }

    /// Says that a payment's outcome could not be written: the row stays reserved/sent and keeps
    /// counting; reconcile will settle it with the chain.
    private static func unrecorded(_ id: Int64, _ error: LedgerError) {
        StandardError.write("purse: could not record the outcome of payment \(id): \(error.message)\n")
    }
}

/// How a payment over a channel ended: the flow's outcome, the last answer, the ledger row.
public struct PaymentRun<Response: Sendable>: Sendable {
    /// How the flow ended.
    public let outcome: FlowOutcome
    /// The answer to the last request sent, when it got one.
    public let response: Response?
    /// The ledger row, when a payment was reserved.
    public let paymentID: Int64?
    /// The budget after the payment, when the reservation gave the sums to derive it from
    /// (`PaymentDriver.budget(after:)` reads the ledger otherwise).
    public let budgetAfter: BudgetSnapshot?
}

/// What a dry run found: the answer, the offer and verdicts, the plan, and the refusal if any.
public struct DryRun<Response: Sendable>: Sendable {
    /// The unpaid answer, when there was one.
    public let response: Response?
    /// The offer, when the answer asked for payment.
    public let offer: PaymentRequired?
    /// The verdict on each option.
    public let selection: Selection?
    /// The plan Purse would pay, when it got that far.
    public let plan: PaymentPlan?
    /// Why Purse would not pay; nil when it would.
    public let refusal: FlowRefusal?
    /// What Purse would do with a sign-in challenge, when the 402 offered one.
    public let signIn: SignInNote?
}
