/// A payment refused because it would break a limit; says which limit and by how much.
public struct BudgetRefusal: CodedError, Equatable {
    /// The kinds of limit.
    public enum Limit: String, Sendable, Codable, CaseIterable {
        /// The per-request cap.
        case perRequest
        /// The session budget.
        case session
        /// The rolling 24-hour budget across sessions.
        case daily
        /// The rolling 24-hour budget for one host.
        case hostDaily
    }

    /// Which limit would be broken.
    public var limit: Limit
    /// The limit.
    public var limitAmount: Micros
    /// What already counts against it (0 for the per-request cap).
    public var spent: Micros
    /// What the refused payment needs.
    public var requested: Micros
    /// The host (named in the message of `hostDaily`).
    public var host: HostName
    /// The asset symbol used in the message.
    public var symbol: String

    /// Creates a refusal.
    public init(limit: Limit, limitAmount: Micros, spent: Micros, requested: Micros, host: HostName, symbol: String) {
        self.limit = limit
        self.limitAmount = limitAmount
        self.spent = spent
        self.requested = requested
        self.host = host
        self.symbol = symbol
    }

    /// What is left under the limit, never negative.
    public var remaining: Micros { limitAmount.remaining(after: spent) }

    public var code: String {
        switch limit {
        case .perRequest: "budget.per_request_exceeded"
        case .session: "budget.session_exceeded"
        case .daily: "budget.daily_exceeded"
        case .hostDaily: "budget.host_daily_exceeded"
        }
    }

    /// For example `session budget 0.025 USDC: 0.020 spent, 0.005 left, this payment needs 0.010`.
    public var message: String {
        let values = [limitAmount, spent, remaining, requested]
        // One precision for all numbers of the message, so they line up when read.
        let digits = values.map { Self.fractionDigits($0) }.max() ?? 2
        func f(_ v: Micros) -> String { v.decimalText(minFractionDigits: max(2, digits)) }
        switch limit {
        case .perRequest:
            return "per-request cap \(f(limitAmount)) \(symbol): this payment needs \(f(requested))"
        case .session:
            return "session budget \(f(limitAmount)) \(symbol): \(f(spent)) spent, \(f(remaining)) left, this payment needs \(f(requested))"
        case .daily:
            return "daily budget (rolling 24 h) \(f(limitAmount)) \(symbol): \(f(spent)) spent, \(f(remaining)) left, this payment needs \(f(requested))"
        case .hostDaily:
            return "daily budget for \(host) (rolling 24 h) \(f(limitAmount)) \(symbol): \(f(spent)) spent, \(f(remaining)) left, this payment needs \(f(requested))"
        }
    }

    private static func fractionDigits(_ m: Micros) -> Int {
        let s = m.decimalText(minFractionDigits: 0)
        guard let dot = s.firstIndex(of: ".") else { return 0 }
        return s.distance(from: dot, to: s.endIndex) - 1
    }
}
