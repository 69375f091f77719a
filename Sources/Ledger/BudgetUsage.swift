/// What counts against each budget window at one instant, in micros.
public struct BudgetUsage: Sendable, Equatable {
    /// The session the numbers are for.
    public var sessionID: String
    /// Counting rows of the session (any age).
    public var sessionSpentMicros: Int64
    /// Counting rows of every session created in the last 24 hours.
    public var dailySpentMicros: Int64
    /// Counting rows of the last 24 hours by lower-case host. `Ledger.usage` always fills it with
    /// every host seen in the window (and the host asked for, even at 0); it is optional so that a
    /// hand-built usage may leave hosts out.
    public var hostDailySpentMicros: [String: Int64]?
    /// Of the session's counting rows, those not yet settled (reserved, sent, unknown).
    public var sessionPendingMicros: Int64

    /// Creates a usage snapshot.
    public init(sessionID: String, sessionSpentMicros: Int64, dailySpentMicros: Int64,
                hostDailySpentMicros: [String: Int64]?, sessionPendingMicros: Int64 = 0) {
        self.sessionID = sessionID
        self.sessionSpentMicros = sessionSpentMicros
        self.dailySpentMicros = dailySpentMicros
        self.hostDailySpentMicros = hostDailySpentMicros
        self.sessionPendingMicros = sessionPendingMicros
    }

    /// The daily spend for one host (lower-cased), 0 when absent.
    public func hostSpentMicros(_ host: String) -> Int64 {
        hostDailySpentMicros?[host.lowercased()] ?? 0
    }
}
