/// The outcome of choosing among a server's options: a verdict for each, and the one to pay.
public struct Selection: Sendable, Equatable {
    /// One verdict per offered option, in the server's order.
    public let verdicts: [OptionVerdict]
    /// The cheapest allowed option (first in server order on a tie), or nil when none is allowed.
    public let chosen: OptionVerdict?

    /// One line per option saying why it was refused, for the error a caller sees.
    public var refusalSummary: String {
        verdicts.map { v in
            let what: String
            if let r = v.requirement {
                what = "option \(v.index) (\(r.scheme) \(r.networkText) \(v.asset.map { AmountText.format(atomic: r.amount.value, decimals: $0.decimals, symbol: $0.symbol) } ?? "\(r.amount.value) atomic units of \(r.asset)"))"
            } else {
                what = "option \(v.index)"
            }
            return "\(what): " + (v.allowed ? "allowed" : v.reasons.map(\.message).joined(separator: "; "))
        }.joined(separator: "\n")
    }
}
