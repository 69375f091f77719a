import HTTP
import Ledger
import PurseCore
import X402

extension FetchResult {
    /// The outcome's name (`FlowOutcome.name`).
    public var outcomeName: String { outcome.name }

    /// Whether the call paid and got its content: the server answered the paid request with
    /// success. A signed payment that failed or whose outcome is unknown is not `paid`; it is
    /// still reported under `payment` with its ledger status.
    public var paid: Bool {
        if case .paid = outcome.kind { return true }
        return false
    }

    /// The pending terminal approval, when the outcome is `approval_required`.
    public var approval: ApprovalTicket? {
        if case let .refused(e) = outcome.kind { return e.approval }
        return nil
    }

    /// Whether a signed authorization left the process (then `payment` is reported).
    public var signedPaymentSent: Bool { outcome.paidAttempts > 0 }

    /// The error of a call that did not end in content, when there is one.
    public var error: (code: String, message: String)? {
        switch outcome.kind {
        case .notPaymentRequired, .signedIn, .paid: nil
        case let .notDelivered(status):
            ("payment.not_delivered", "the seller settled the payment (paymentFlow \(outcome.plan?.paymentFlow ?? "upfront")) but answered HTTP \(status) instead of the content; the payment is charged")
        case let .refused(e): (e.code, e.message)
        case let .paymentFailed(reason): ("payment.failed", "the server refused the payment: \(reason)")
        case let .unknown(reason): ("payment.unknown", reason)
        }
    }

    /// The structured result shared by `purse fetch --json` and the `paid_fetch` tool.
    public func json() -> JSONValue {
        var o = JSONObject()
        o["outcome"] = .string(outcomeName)
        if let r = response {
            o["status"] = .integer(r.status)
            o["headers"] = HTTPResponseJSON.headers(r.headers)
            o["contentType"] = r.headers["Content-Type"].map(JSONValue.string) ?? .null
            let (body, encoding) = HTTPResponseJSON.body(r)
            o["body"] = .string(body)
            o["bodyEncoding"] = .string(encoding)
            o["truncated"] = .bool(r.truncated)
            if let location = r.redirectLocation { o["redirectLocation"] = .string(location) }
        } else {
            o["status"] = .null
            o["headers"] = .object(JSONObject())
            o["contentType"] = .null
            o["body"] = ""
            o["bodyEncoding"] = "text"
            o["truncated"] = false
        }
        o["paid"] = .bool(paid)
        if let plan = outcome.plan, signedPaymentSent {
            var payment = PaymentJSON.payment(plan: plan, receipt: outcome.receipt, status: ledgerStatus, charge: outcome.charge)
            payment["receipt"] = outcome.receiptEvidence?.json ?? .null
            o["payment"] = .object(payment)
        }
        if let note = outcome.signIn { o["signIn"] = note.json }
        if let e = error { o["error"] = ["code": .string(e.code), "message": .string(e.message)] }
        if let ticket = approval { o["approval"] = ticket.json() }
        if let b = budget { o["budget"] = BudgetJSON.snapshot(b) }
        return .object(o)
    }

    /// The ledger status the row ended in, `none` when there is none.
    public var ledgerStatus: String { outcome.ledgerStatus ?? "none" }

    /// A one-paragraph summary for humans and for the MCP text content.
    public var summary: String {
        var lines = [String]()
        if let r = response { lines.append("HTTP \(r.status)\(r.truncated ? " (body truncated)" : "")") }
        switch outcome.kind {
        case .notPaymentRequired: lines.append("No payment was needed.")
        case .signedIn: lines.append("Signed in with this wallet's earlier payment (sign-in-with-x); nothing was paid.")
        case let .notDelivered(status):
            if let p = outcome.plan {
                lines.append("Paid \(p.priceText) on \(p.network) to \(p.payTo) (settled up front), but the seller answered HTTP \(status) instead of the content.")
            }
        case .paid:
            if let p = outcome.plan {
                let tx = outcome.receipt?.transaction.map { " Transaction \($0)." } ?? " Settlement not confirmed yet; reconcile will check the chain."
                let price = outcome.charge.map { c in
                    "\(AmountText.format(atomic: c.atomic, decimals: p.asset.decimals, symbol: p.asset.symbol)) (signed for at most \(p.priceText))"
                } ?? p.priceText
                lines.append("Paid \(price) on \(p.network) to \(p.payTo).\(tx)")
            }
        case let .refused(e) where e.approval != nil:
            lines.append("Approval required, nothing was paid: \(e.message)")
        case let .refused(e): lines.append("Not paid: \(e.message) [\(e.code)]")
        case let .paymentFailed(reason): lines.append("Payment refused by the server: \(reason). Nothing was charged according to the server.")
        case let .unknown(reason): lines.append("Payment outcome unknown: \(reason)")
        }
        if let b = budget { lines.append("Budget: \(b.summary).") }
        return lines.joined(separator: " ")
    }
}

/// JSON views of HTTP responses.
public enum HTTPResponseJSON {
    /// Header names lower-cased; repeated headers joined with ", ".
    public static func headers(_ h: HTTPHeaders) -> JSONValue {
        var o = JSONObject()
        for (name, value) in h {
            let k = name.lowercased()
            if case let .string(prev)? = o[k] { o[k] = .string(prev + ", " + value) } else { o[k] = .string(value) }
        }
        return .object(o)
    }

    /// The body as text when it is textual UTF-8, else base64.
    public static func body(_ r: HTTPResponse) -> (String, String) {
        let type = (r.headers["Content-Type"] ?? "").lowercased()
        let textual = type.isEmpty || type.hasPrefix("text/") || mentions(type, "json") || mentions(type, "xml")
            || mentions(type, "javascript") || mentions(type, "x-www-form-urlencoded")
        if textual, let s = String(validating: r.body, as: UTF8.self) { return (s, "text") }
        return (Base64.encode(r.body), "base64")
    }

    /// Whether `type` contains `word` (ASCII). An ASCII `type`, the usual case, is searched byte
    /// by byte, which gives Foundation's answer without the NSString bridge its `contains` makes
    /// on every call (a sixth of the CPU of building a `paid_fetch` result), and without the
    /// standard library's generic `firstRange(of:)`, whose casts cost more than the search; any
    /// other type still asks Foundation, whose comparison also matches canonically equivalent text.
    static func mentions(_ type: String, _ word: String) -> Bool {
        let t = Array(type.utf8)
        guard t.allSatisfy({ $0 < 0x80 }) else { return type.contains(word) }
        let w = Array(word.utf8)
        guard !w.isEmpty else { return true }
        guard w.count <= t.count else { return false }
        search: for start in 0...(t.count - w.count) {
            for k in 0..<w.count where t[start + k] != w[k] { continue search }
            return true
        }
        return false
    }
}

/// JSON views of payments and budgets.
public enum PaymentJSON {
    /// The `payment` object of a result. For a payment settled for its actual amount (`upto`),
    /// `amount` is what it was charged once settled (the signed maximum before) and `maxAmount`
    /// the maximum; `amountSource` says whose word the amount is.
    public static func payment(plan: PaymentPlan, receipt: SettlementResponse?, status: String, charge: SettledCharge? = nil) -> JSONObject {
        let atomic = charge?.atomic ?? plan.requirement.amount.value
        var o: JSONObject = [
            "amount": .string(AmountText.decimal(atomic: atomic, decimals: plan.asset.decimals)),
            "amountAtomic": .string(String(atomic)),
            "asset": .string(plan.token.text),
            "symbol": .string(plan.asset.symbol),
            "network": .string(plan.network),
            "payTo": .string(plan.payTo.text),
            "transaction": receipt?.transaction.map(JSONValue.string) ?? .null,
            "payer": .string(plan.payer.text),
            "x402Version": .integer(plan.requirement.x402Version),
            "status": .string(status),
            "scheme": .string(plan.method.scheme),
            "transferMethod": .string(plan.method.transferMethod),
            "paymentFlow": .string(plan.paymentFlow),
            "paymentId": plan.paymentIdentifier.map { .string($0.value) } ?? .null,
            "offer": plan.offerEvidence?.json ?? .null,
        ]
        if plan.method.settlesActualAmount {
            o["maxAmount"] = .string(AmountText.decimal(atomic: plan.requirement.amount.value, decimals: plan.asset.decimals))
            o["amountSource"] = charge.map { .string($0.source.rawValue) } ?? .null
            if let note = charge?.note { o["amountNote"] = .string(note) }
        }
        return o
    }
}

/// JSON views of budgets.
public enum BudgetJSON {
    /// `{session: {spent, remaining, limit}, daily: {...}, symbol}` with decimal strings.
    public static func snapshot(_ b: BudgetSnapshot) -> JSONValue {
        func d(_ m: Micros) -> JSONValue { .string(m.decimalText()) }
        return [
            "session": ["spent": d(b.sessionSpent), "remaining": d(b.sessionRemaining), "limit": d(b.sessionLimit)],
            "daily": ["spent": d(b.dailySpent), "remaining": d(b.dailyRemaining), "limit": d(b.dailyLimit)],
            "symbol": .string(b.symbol),
        ]
    }
}
