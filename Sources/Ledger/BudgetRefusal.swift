import PurseCore

/// A reservation refused because it would break a limit; says which limit and by how much.
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
    /// The limit, in micros.
    public var limitMicros: Int64
    /// What already counts against it, in micros (0 for the per-request cap).
    public var spentMicros: Int64
    /// What the refused payment needs, in micros.
    public var requestedMicros: Int64
    /// The host, for `hostDaily` (and informational otherwise).
    public var host: String?
    /// The asset symbol used in the message.
    public var symbol: String

    /// Creates a refusal.
    public init(limit: Limit, limitMicros: Int64, spentMicros: Int64, requestedMicros: Int64, host: String?,
                symbol: String) {
        self.limit = limit
        self.limitMicros = limitMicros
        self.spentMicros = spentMicros
        self.requestedMicros = requestedMicros
        self.host = host
        self.symbol = symbol
    }

    /// What is left under the limit, never negative.
    public var remainingMicros: Int64 {
        let (r, o) = limitMicros.subtractingReportingOverflow(spentMicros)
        return o ? 0 : max(0, r)
    }

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
        let values = [limitMicros, spentMicros, remainingMicros, requestedMicros]
        // One precision for all numbers of the message, so they line up when read.
        let digits = values.map { Self.fractionDigits($0) }.max() ?? 2
        func f(_ v: Int64) -> String { Micros.string(v, minFractionDigits: max(2, digits)) }
        switch limit {
        case .perRequest:
            return "per-request cap \(f(limitMicros)) \(symbol): this payment needs \(f(requestedMicros))"
        case .session:
            return "session budget \(f(limitMicros)) \(symbol): \(f(spentMicros)) spent, \(f(remainingMicros)) left, this payment needs \(f(requestedMicros))"
        case .daily:
            return "daily budget (rolling 24 h) \(f(limitMicros)) \(symbol): \(f(spentMicros)) spent, \(f(remainingMicros)) left, this payment needs \(f(requestedMicros))"
        case .hostDaily:
            return "daily budget for \(host ?? "?") (rolling 24 h) \(f(limitMicros)) \(symbol): \(f(spentMicros)) spent, \(f(remainingMicros)) left, this payment needs \(f(requestedMicros))"
        }
    }

    private static func fractionDigits(_ micros: Int64) -> Int {
        let s = Micros.string(micros, minFractionDigits: 0)
        guard let dot = s.firstIndex(of: ".") else { return 0 }
        return s.distance(from: dot, to: s.endIndex) - 1
    }
}
