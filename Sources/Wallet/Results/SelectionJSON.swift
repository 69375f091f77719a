import PurseCore
import X402

/// The verdict on each offered option as JSON: what `quote`, `tool_quote` and discovery show.
public enum SelectionJSON {
    /// `[{index, scheme, network, asset, symbol, amount, amountAtomic, budgetAmount, transferMethod, payTo,
    /// paymentFlow, allowed, verdict, reasons, reasonCodes}]`.
    public static func options(_ selection: Selection?) -> JSONValue {
        var options = [JSONValue]()
        for v in selection?.verdicts ?? [] {
            var e = JSONObject()
            e["index"] = .integer(v.index)
            if let r = v.requirement {
                e["scheme"] = .string(r.scheme)
                e["network"] = .string(r.network?.caip2 ?? r.networkText)
                e["asset"] = .string(r.asset)
                if let a = v.asset { e["symbol"] = .string(a.symbol); e["amount"] = .string(AmountText.decimal(atomic: r.amount.value, decimals: a.decimals)) }
                e["amountAtomic"] = .string(String(r.amount.value))
                if let m = v.micros { e["budgetAmount"] = .string(m.decimalText()) }
                e["transferMethod"] = v.method.map { .string($0.transferMethod) } ?? .null
                e["payTo"] = .string(r.payTo)
                e["paymentFlow"] = .string(r.paymentFlow ?? "authorization")
            }
            e["allowed"] = .bool(v.allowed)
            e["verdict"] = .string(selection?.chosen?.index == v.index ? "chosen" : (v.allowed ? "allowed" : "refused"))
            e["reasons"] = .array(v.reasons.map { .string($0.message) })
            e["reasonCodes"] = .array(v.reasons.map { .string($0.code) })
            options.append(.object(e))
        }
        return .array(options)
    }
}
