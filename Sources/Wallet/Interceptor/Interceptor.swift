import Foundation
import HTTP
import Ledger
import PurseCore
import X402

/// The one choke point every payment passes through: drives `PaymentFlow` with the real edges
/// (HTTP, ledger, signer, approver). `purse fetch` and the `paid_fetch` tool both call `fetch`.
public final class Interceptor: Sendable {
    let http: any HTTPClient
    let ledger: Ledger
    let signer: any PaymentSigner
    let config: PurseConfig
    let policy: Policy
    /// The session every payment of this process belongs to.
    public let sessionID: String
    let tracker: PaymentTracker
    let clock: @Sendable () -> Date
    let random: @Sendable (Int) -> [UInt8]

    /// Creates an interceptor for one session.
    public init(http: any HTTPClient, ledger: Ledger, signer: any PaymentSigner, config: PurseConfig, sessionID: String,
                tracker: PaymentTracker = PaymentTracker(), clock: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable (Int) -> [UInt8] = Interceptor.systemRandom) {
        self.http = http
        self.ledger = ledger
        self.signer = signer
        self.config = config
        self.policy = Policy(config: config)
        self.sessionID = sessionID
        self.tracker = tracker
        self.clock = clock
        self.random = random
    }

    /// Bytes from the system's CSPRNG, eight at a time (one `getrandom` per 8 bytes, not per byte).
    public static func systemRandom(_ n: Int) -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        var out = [UInt8]()
        out.reserveCapacity(n + 8)
        while out.count < n { withUnsafeBytes(of: g.next() as UInt64) { out.append(contentsOf: $0) } }
        return Array(out.prefix(n))
    }

    /// Fetches `request`, paying if it answers 402 and the policy and budgets allow.
    ///
    /// The work runs in its own task: cancelling the caller never leaves a payment half-recorded.
    public func fetch(_ request: HTTPRequest, maxPriceMicros: Int64? = nil, approver: any PaymentApprover = NoApprover()) async -> FetchResult {
        tracker.begin()
        let task = Task { [self] in
            defer { tracker.end() }
            return await run(request, maxPriceMicros: maxPriceMicros, approver: approver)
        }
        return await task.value
    }

    /// Waits until every payment in progress has a final ledger row.
    public func drain() async { await tracker.drain() }

    private func context(maxPriceMicros: Int64?) -> FlowContext {
        FlowContext(
            payer: signer.address, now: Int64(clock().timeIntervalSince1970), nonce: random(32),
            paymentIdentifier: PaymentHeader.paymentIdentifier(random: random(16)), policy: policy,
            maxPriceMicros: maxPriceMicros, validityCeilingSeconds: config.payment.validityCeilingSeconds,
            maxPaidAttempts: config.payment.maxPaidAttempts)
    }

    private func run(_ request: HTTPRequest, maxPriceMicros: Int64?, approver: any PaymentApprover) async -> FetchResult {
        var flow = PaymentFlow(request: request, context: context(maxPriceMicros: maxPriceMicros))
        var action = flow.start()
        var rowID: Int64?
        while true {
            switch action {
            case let .send(r):
                action = await send(r, into: &flow)
            case let .reserve(plan):
                do {
                    let row = try ledger.reserve(newPayment(plan), limits: policy.budgetLimits, now: clock())
                    rowID = row.id
                    Self.fault("reserved")
                    action = flow.handle(.reserved)
                } catch {
                    action = flow.handle(.reservationRefused(error))
                }
            case let .askApproval(plan):
                let left = budget(host: plan.host)?.summary ?? "unknown"
                if let refusal = await approver.approve(plan, budgetLeft: left) {
                    action = flow.handle(.declined(code: refusal.code, reason: refusal.reason))
                } else {
                    action = flow.handle(.approved)
                }
            case let .sign(plan):
                do {
                    let signature = try signer.sign(plan)
                    Self.fault("signed")
                    action = flow.handle(.signed(signature))
                } catch { action = flow.handle(.signingFailed(error)) }
            case let .sendPaid(r, attempt, delay):
                if attempt == 1, let id = rowID {
                    do { try ledger.markSent(id: id, now: clock()) } catch {
                        // The row could not be marked: the signed payload must not leave.
                        let plan: PaymentPlan? = nil
                        return finish(FlowOutcome(kind: .refused(error), response: nil, plan: plan, receipt: nil,
                                                  resolution: .release("the ledger could not record the payment: \(error.message)"),
                                                  signatures: 1, paidAttempts: 0), rowID: rowID)
                    }
                }
                if attempt == 1 { Self.fault("sent") }
                if delay > 0 { try? await Task.sleep(for: .milliseconds(delay)) }
                action = await send(r, into: &flow)
            case let .finish(outcome):
                if rowID != nil, outcome.paidAttempts > 0 { Self.fault("answered") }
                return finish(outcome, rowID: rowID)
            }
        }
    }


    #if DEBUG
    /// Debug builds only: `PURSE_FAULT_KILL_AT=reserved|signed|sent|answered` SIGKILLs the process
    /// at that step of a payment, so the fault tests can check that reconcile recovers from a
    /// crash anywhere. Release builds have no such hook.
    static let faultStep = ProcessInfo.processInfo.environment["PURSE_FAULT_KILL_AT"]
    static func fault(_ step: String) {
        if faultStep == step { kill(getpid(), SIGKILL) }
    }
    #else
    @inline(__always) static func fault(_ step: String) {}
    #endif

    private func send(_ r: HTTPRequest, into flow: inout PaymentFlow) async -> FlowAction {
        do { return flow.handle(.response(try await http.send(r))) } catch { return flow.handle(.transportFailed(error)) }
    }

    private func finish(_ outcome: FlowOutcome, rowID: Int64?) -> FetchResult {
        if let id = rowID {
            let now = clock()
            let status = outcome.response?.status
            do {
                switch outcome.resolution {
                case .none: break
                case let .release(why): try ledger.markFailed(id: id, error: why, httpStatus: status, now: now)
                case let .settle(tx): try ledger.markSettled(id: id, txHash: tx, httpStatus: status, now: now)
                case let .fail(why): try ledger.markFailed(id: id, error: why, httpStatus: status, now: now)
                case let .unknown(why): try ledger.markUnknown(id: id, error: why, httpStatus: status, now: now)
                }
            } catch {
                // The row stays reserved/sent and keeps counting; reconcile will settle it with the chain.
                FileHandleStderr.write("purse: could not record the outcome of payment \(id): \(error.message)\n")
            }
        }
        return FetchResult(outcome: outcome, paymentID: rowID, budget: budget(host: outcome.plan?.host))
    }

    private func newPayment(_ plan: PaymentPlan) -> NewPayment {
        NewPayment(
            sessionID: sessionID, method: plan.method, url: plan.url, host: plan.host, network: plan.requirement.network?.caip2 ?? plan.requirement.networkText,
            asset: plan.requirement.asset, assetSymbol: plan.asset.symbol, decimals: plan.asset.decimals, payTo: plan.requirement.payTo,
            amountAtomic: plan.requirement.amount.value, scheme: plan.requirement.scheme, x402Version: plan.requirement.x402Version,
            nonce: plan.nonce, validBefore: plan.validBefore, payer: plan.payer)
    }

    /// The budget right now for this session (and a host).
    public func budget(host: String? = nil) -> BudgetSnapshot? {
        guard let u = try? ledger.usage(sessionID: sessionID, host: host, now: clock()) else { return nil }
        return BudgetSnapshot(
            sessionSpentMicros: u.sessionSpentMicros, sessionLimitMicros: policy.config.sessionBudgetMicros,
            dailySpentMicros: u.dailySpentMicros, dailyLimitMicros: policy.config.dailyBudgetMicros, symbol: policy.symbol)
    }

    /// Sends `request` unpaid and says what Purse would pay, without reserving or signing.
    public func quote(_ request: HTTPRequest, maxPriceMicros: Int64? = nil) async -> QuoteResult {
        let response: HTTPResponse
        do { response = try await http.send(request) } catch { return QuoteResult(response: nil, offer: nil, selection: nil, refusal: error) }
        guard response.status == 402 else { return QuoteResult(response: response, offer: nil, selection: nil, refusal: nil) }
        let offer: PaymentRequired
        do { offer = try PaymentRequiredParser.parse(header: { response.headers[$0] }, body: response.body) } catch {
            return QuoteResult(response: response, offer: nil, selection: nil, refusal: error)
        }
        let selection = RequirementSelector.select(offer, policy: policy.selectionPolicy(maxPriceMicros: maxPriceMicros))
        let host = HTTPURLParts.host(of: request.url) ?? ""
        if let r = policy.hostRefusal(host) { return QuoteResult(response: response, offer: offer, selection: selection, refusal: r) }
        guard let chosen = selection.chosen, let micros = chosen.micros else {
            return QuoteResult(response: response, offer: offer, selection: selection,
                               refusal: PolicyRefusal(code: "policy.no_acceptable_option", message: "no acceptable payment option:\n" + selection.refusalSummary))
        }
        if let u = try? ledger.usage(sessionID: sessionID, host: host, now: clock()) {
            let sym = chosen.asset?.symbol ?? policy.symbol
            func over(_ spent: Int64, _ limit: Int64, _ name: String) -> PolicyRefusal? {
                guard spent + micros > limit else { return nil }
                return PolicyRefusal(code: "budget.\(name)_exceeded", message: "the \(name) budget of \(AmountText.format(micros: limit, symbol: sym)) has \(AmountText.format(micros: max(0, limit - spent), symbol: sym)) left; this costs \(AmountText.format(micros: micros, symbol: sym))")
            }
            var hostLimit: PolicyRefusal?
            if let limit = policy.config.perHostDailyMicros[host] {
                hostLimit = over(u.hostDailySpentMicros?[host] ?? 0, limit, "host_daily")
            }
            if let r = over(u.sessionSpentMicros, policy.config.sessionBudgetMicros, "session") ?? over(u.dailySpentMicros, policy.config.dailyBudgetMicros, "daily") ?? hostLimit {
                return QuoteResult(response: response, offer: offer, selection: selection, refusal: r)
            }
        }
        return QuoteResult(response: response, offer: offer, selection: selection, refusal: nil)
    }
}

/// Writes diagnostics to standard error (never stdout, which belongs to JSON-RPC in `serve`).
public enum FileHandleStderr {
    /// Writes `text` to fd 2.
    public static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
