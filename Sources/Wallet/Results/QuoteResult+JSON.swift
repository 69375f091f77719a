import PurseCore
import X402

extension QuoteResult {
    /// The structured result shared by `purse quote --json` and the `quote` tool.
    public func json() -> JSONValue {
        var o = JSONObject()
        o["status"] = response.map { .integer($0.status) } ?? .null
        if let offer { o["x402Version"] = .integer(offer.x402Version) }
        o["options"] = SelectionJSON.options(selection)
        o["chosen"] = selection?.chosen.map { .integer($0.index) } ?? .null
        o["wouldPay"] = .bool(refusal == nil && selection?.chosen != nil)
        o["refusal"] = refusal.map { .object(["code": .string($0.code), "message": .string($0.message)]) } ?? .null
        if let e = offer?.error { o["serverError"] = .string(e) }
        if let plan {
            o["paymentFlow"] = .string(plan.paymentFlow)
            if let evidence = plan.offerEvidence { o["offer"] = evidence.json }
        }
        if let note = signIn { o["signIn"] = note.json }
        return .object(o)
    }

    /// A human summary: each option on a line and the decision.
    public var summary: String {
        guard let response else { return "The request failed: \(refusal.map { "\($0.message) [\($0.code)]" } ?? "unknown error")" }
        guard let selection else {
            if let refusal { return "HTTP \(response.status): \(refusal.message) [\(refusal.code)]" }
            return "HTTP \(response.status): no payment required."
        }
        var lines = ["HTTP \(response.status): x402 v\(offer?.x402Version ?? 0) offer with \(selection.verdicts.count) option(s):"]
        for v in selection.verdicts {
            let mark = selection.chosen?.index == v.index ? "*" : (v.allowed ? "+" : "-")
            if let r = v.requirement {
                let price = v.asset.map { AmountText.format(atomic: r.amount.value, decimals: $0.decimals, symbol: $0.symbol) } ?? "\(r.amount.value) atomic units of \(r.asset)"
                let method = v.method.map { " (\($0.transferMethod)\($0.settlesActualAmount ? ", at most" : ""))" } ?? ""
                let flow = r.paymentFlow.map { " (paymentFlow \($0))" } ?? ""
                lines.append("  \(mark) [\(v.index)] \(r.scheme)\(method) \(r.network?.caip2 ?? r.networkText) \(price) to \(r.payTo)\(flow)" + (v.allowed ? "" : " — " + v.reasons.map(\.message).joined(separator: "; ")))
            } else {
                lines.append("  \(mark) [\(v.index)] unreadable — " + v.reasons.map(\.message).joined(separator: "; "))
            }
        }
        if case let .wouldSignIn(chain)? = signIn {
            lines.append("This wallet already paid this resource: Purse would first sign in (sign-in-with-x on \(chain)) and pay only if that is refused.")
        }
        if let refusal { lines.append("Purse would NOT pay: \(refusal.message) [\(refusal.code)]") } else if let c = selection.chosen {
            lines.append("Purse would pay option [\(c.index)].")
            if plan?.paymentFlow == "upfront" {
                lines.append("Its paymentFlow is upfront: the seller settles before serving, so a failed request still costs the price.")
            }
            if let e = plan?.offerEvidence {
                lines.append("The seller's signed offer matches it (signer \(e.signer.checksummed), \(e.authorization.rawValue)).")
            }
        }
        return lines.joined(separator: "\n")
    }
}
