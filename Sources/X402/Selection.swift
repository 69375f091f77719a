/// The outcome of choosing among a server's options: a verdict for each, and the one to pay.
public struct Selection: Sendable, Equatable {
    /// One verdict per offered option, in the server's order.
    public let verdicts: [OptionVerdict]
    /// The cheapest allowed option (first in server order on a tie), or nil when none is allowed.
    public let chosen: OptionVerdict?

    /// Creates a selection; `chosen` is the first of `candidates`.
    public init(verdicts: [OptionVerdict]) {
        self.verdicts = verdicts
        self.chosen = Self.order(verdicts).first
    }

    /// The allowed options, best first: `authorization` flows before `upfront` ones (as the
    /// reference client prefers them: nothing is charged unless the content is served), then the
    /// cheapest in budget units (for `upto`, its maximum, the most it can cost), then server
    /// order. Prices of every scheme and network compare in the one budget unit (micro-units of
    /// a USD stablecoin).
    public var candidates: [OptionVerdict] { Self.order(verdicts) }

    static func order(_ verdicts: [OptionVerdict]) -> [OptionVerdict] {
        func upfront(_ v: OptionVerdict) -> Int { (v.requirement?.paymentFlow ?? "authorization") == "authorization" ? 0 : 1 }
        return verdicts.filter { $0.allowed && $0.micros != nil }
            .sorted { (upfront($0), $0.micros!, $0.index) < (upfront($1), $1.micros!, $1.index) }
    }

    /// The selection after refusing option `index` for `reason` (learned after selection, such
    /// as from the chain): its verdict carries the reason and the next candidate is chosen.
    public func refusing(index: Int, _ reason: OptionVerdict.Reason) -> Selection {
        Selection(verdicts: verdicts.map { $0.index == index ? $0.refused(reason) : $0 })
    }

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
