import MCPUpstream
import PurseCore
import X402

extension ToolCallResult {
    /// The result `_meta` key under which Purse reports what it paid.
    public static let paymentMetaKey = "purse/payment"

    /// The outcome's name, as `paid_fetch` names it (`FlowOutcome.name`).
    public var outcomeName: String { outcome.name }

    /// The ledger status the payment ended in (`settled`, `failed`, `unknown`), when one was signed.
    public var paymentStatus: String? {
        outcome.paidAttempts > 0 ? outcome.ledgerStatus : nil
    }

    /// `_meta["purse/payment"]`: `{amount, symbol, network, payTo, transaction, status}`, when a
    /// signed payment left Purse (whatever became of it).
    public var paymentMeta: JSONValue? {
        guard let plan = outcome.plan, let status = paymentStatus else { return nil }
        return [
            "amount": .string(AmountText.decimal(atomic: plan.requirement.amount.value, decimals: plan.asset.decimals)),
            "symbol": .string(plan.asset.symbol),
            "network": .string(plan.network),
            "payTo": .string(plan.payTo.text),
            "transaction": outcome.receipt?.transaction.map(JSONValue.string) ?? .null,
            "status": .string(status),
        ]
    }

    /// The pending terminal approval, when the outcome is `approval_required`: the agent repeats
    /// the call with `approval_id` once the human ran its command, as with `paid_fetch`.
    public var approval: ApprovalTicket? {
        if case let .refused(e) = outcome.kind { return e.approval }
        return nil
    }

    /// The upstream's own result object, when the call ended with it (no payment needed, or paid).
    public var upstreamResult: JSONObject? {
        switch outcome.kind {
        case .notPaymentRequired, .paid:
            if case let .result(.object(o))? = reply { return o }
            return nil
        default: return nil
        }
    }

    /// The error, when the call did not end with the upstream's result.
    public var error: (code: String, message: String)? {
        if upstreamResult != nil { return nil }
        switch outcome.kind {
        case .notPaymentRequired, .paid, .signedIn:
            switch reply {
            case let .error(code, message, _)?:
                return ("upstream.rpc_error", "the upstream answered with JSON-RPC error \(code): \(Self.clip(message))")
            case let .tooLarge(bytes)?:
                return (UpstreamError.Kind.resultTooLarge.rawValue, "the upstream's answer is \(bytes) bytes, over the size cap (http.maxBodyBytes)")
            case .result?:
                return (UpstreamError.Kind.protocolViolation.rawValue, "the upstream's tools/call result is not a JSON object")
            case nil:
                return (UpstreamError.Kind.protocolViolation.rawValue, "the upstream gave no answer")
            }
        case let .notDelivered(status):
            return ("payment.not_delivered", "the upstream settled the payment but did not deliver (status \(status)); the payment is charged")
        case let .refused(e): return (e.code, e.message)
        case let .paymentFailed(reason): return ("payment.failed", "the upstream refused the payment: \(reason)")
        case let .unknown(reason): return ("payment.unknown", reason)
        }
    }

    /// Whether the MCP result is an error.
    public var isError: Bool {
        if let r = upstreamResult { return r["isError"]?.boolValue == true }
        return true
    }

    /// The MCP `tools/call` result: the upstream's own, unchanged but for
    /// `_meta["purse/payment"]` when something was paid; or, when Purse stops the call, an error
    /// result with a text summary and the error as JSON text (no `structuredContent`: the
    /// upstream tool's output schema does not describe Purse's errors).
    public func mcpResult() -> JSONValue {
        if var r = upstreamResult {
            if let meta = paymentMeta {
                var m = r["_meta"]?.objectValue ?? JSONObject()
                m[Self.paymentMetaKey] = meta
                r["_meta"] = .object(m)
            }
            return .object(r)
        }
        var o: JSONObject = [
            "content": [
                ["type": "text", "text": .string(summary)],
                ["type": "text", "text": .string(errorJSON.encoded())],
            ],
            "isError": true,
        ]
        if let meta = paymentMeta { o["_meta"] = [Self.paymentMetaKey: meta] }
        return .object(o)
    }

    /// `{outcome, error: {code, message}, approval?, payment?, budget?}`: the JSON text of an error result.
    public var errorJSON: JSONValue {
        var o: JSONObject = ["outcome": .string(outcomeName)]
        if let e = error { o["error"] = ["code": .string(e.code), "message": .string(e.message)] }
        if let ticket = approval { o["approval"] = ticket.json() }
        if let p = paymentMeta { o["payment"] = p }
        if let id = paymentID { o["paymentId"] = .integer(id) }
        if let b = budget { o["budget"] = BudgetJSON.snapshot(b) }
        return .object(o)
    }

    /// A short summary for humans and logs.
    public var summary: String {
        var lines = [String]()
        switch outcome.kind {
        case .notPaymentRequired, .signedIn:
            if let e = error { lines.append("\(target): \(e.message) [\(e.code)]") } else { lines.append("\(target): no payment was needed.") }
        case .paid:
            if let p = outcome.plan {
                let tx = outcome.receipt?.transaction.map { " Transaction \($0)." } ?? " Settlement not confirmed yet; reconcile will check the chain."
                lines.append("\(target): paid \(p.priceText) on \(p.network) to \(p.payTo).\(tx)")
            }
        case let .refused(e):
            lines.append(e.isTransportFailure && outcome.signatures == 0
                ? "\(target): the call failed before anything was paid: \(e.message) [\(e.code)]"
                : "\(target): not paid: \(e.message) [\(e.code)]")
        case .notDelivered, .paymentFailed, .unknown:
            if let e = error { lines.append("\(target): \(e.message) [\(e.code)]") }
        }
        if let b = budget, outcome.plan != nil { lines.append("Budget: \(b.summary).") }
        return lines.joined(separator: " ")
    }

    static func clip(_ s: String) -> String { s.count > 300 ? String(s.prefix(300)) + "…" : s }
}
