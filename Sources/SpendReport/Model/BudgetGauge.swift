import PurseCore

/// One limit drawn as a gauge: how much of it is used and how much is left.
public struct BudgetGauge: Sendable, Equatable {
    /// Which limit.
    public var limit: BudgetRefusal.Limit
    /// The host of a per-host limit.
    public var host: String?
    /// The session of a session limit.
    public var sessionID: String?
    /// The limit, in micros.
    public var limitMicros: Int64
    /// What counts against it, in micros. For the per-request cap, which nothing accumulates
    /// against, the largest payment in the report: how close any one payment came.
    public var usedMicros: Int64

    /// What is left, never negative.
    public var leftMicros: Int64 { max(0, limitMicros - min(limitMicros, usedMicros)) }

    /// Creates a gauge.
    public init(limit: BudgetRefusal.Limit, host: String? = nil, sessionID: String? = nil, limitMicros: Int64, usedMicros: Int64) {
        self.limit = limit
        self.host = host
        self.sessionID = sessionID
        self.limitMicros = limitMicros
        self.usedMicros = usedMicros
    }

    /// The used share, 0…1 (1 when the limit is 0 and anything is used).
    public var fraction: Double {
        guard limitMicros > 0 else { return usedMicros > 0 ? 1 : 0 }
        return min(1, Double(usedMicros) / Double(limitMicros))
    }
}
