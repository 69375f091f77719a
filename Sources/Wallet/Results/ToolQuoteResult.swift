import MCPUpstream
import PurseCore
import X402

/// What an MCP tool asks for and what Purse would do about it, without paying: the dry run of
/// the same flow over the same channel as a paid call (`tool_quote`).
public struct ToolQuoteResult: Sendable {
    /// The unpaid answer, when there was one.
    public let reply: RPCReply?
    /// The offer, when the answer asked for payment.
    public let offer: PaymentRequired?
    /// The verdict on each option.
    public let selection: Selection?
    /// The plan Purse would pay.
    public let plan: PaymentPlan?
    /// Why Purse would not pay (or could not ask); nil when it would.
    public let refusal: FlowRefusal?
    /// The payment-required convention the upstream used.
    public let convention: MCPPaymentConvention?
    /// What was asked, for messages.
    public let target: String

    /// `{paymentRequired, convention, x402Version, options, chosen, wouldPay, refusal, price, serverError}`.
    public func json() -> JSONValue {
        var o = JSONObject()
        o["paymentRequired"] = .bool(offer != nil || convention != nil)
        o["convention"] = convention.map { .string($0.rawValue) } ?? .null
        if let offer { o["x402Version"] = .integer(offer.x402Version) }
        o["options"] = SelectionJSON.options(selection)
        o["chosen"] = selection?.chosen.map { .integer($0.index) } ?? .null
        o["wouldPay"] = .bool(refusal == nil && selection?.chosen != nil)
        o["refusal"] = refusal.map { .object(["code": .string($0.code), "message": .string($0.message)]) } ?? .null
        if let plan {
            o["price"] = ["amount": .string(AmountText.decimal(atomic: plan.requirement.amount.value, decimals: plan.asset.decimals)),
                          "symbol": .string(plan.asset.symbol), "network": .string(plan.network), "payTo": .string(plan.payTo.text)]
        }
        if let e = offer?.error { o["serverError"] = .string(e) }
        return .object(o)
    }

    /// Whether the upstream could not be asked at all.
    public var failed: Bool { reply == nil }

    /// A human summary.
    public var summary: String {
        guard reply != nil else { return "\(target): the call failed: \(refusal.map { "\($0.message) [\($0.code)]" } ?? "no answer")" }
        guard let selection else {
            if let refusal { return "\(target): \(refusal.message) [\(refusal.code)]" }
            return "\(target): no payment required (the tool answered unpaid)."
        }
        var lines = ["\(target): x402 v\(offer?.x402Version ?? 0) offer (\(convention?.rawValue ?? "?") convention) with \(selection.verdicts.count) option(s)."]
        if let refusal { lines.append("Purse would NOT pay: \(refusal.message) [\(refusal.code)]") } else if let p = plan {
            lines.append("Purse would pay \(p.priceText) on \(p.network) to \(p.payTo).")
        }
        return lines.joined(separator: " ")
    }
}
