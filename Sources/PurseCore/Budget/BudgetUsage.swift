/// What counts against each budget window at one instant.
///
/// A ledger backend supplies these sums (inside its reservation transaction, or for a read-only
/// check); the arithmetic on them is `BudgetCheck`'s alone. Counting rows are every status but
/// `failed`: reserved, sent and unknown payments count until the chain says otherwise.
public struct BudgetUsage: Sendable, Equatable {
    /// The session the numbers are for.
    public var sessionID: String
    /// Counting rows of the session (any age).
    public var sessionSpent: Micros
    /// Counting rows of every session created in the last 24 hours.
    public var dailySpent: Micros
    /// Counting rows of the last 24 hours by host: at least the host asked for (even at 0), and
    /// every host seen in the window when the backend was asked for all of them.
    public var hostDailySpent: [HostName: Micros]
    /// Of the session's counting rows, those not yet settled (reserved, sent, unknown).
    public var sessionPending: Micros

    /// Creates a usage snapshot.
    public init(sessionID: String, sessionSpent: Micros, dailySpent: Micros, hostDailySpent: [HostName: Micros] = [:],
                sessionPending: Micros = .zero) {
        self.sessionID = sessionID
        self.sessionSpent = sessionSpent
        self.dailySpent = dailySpent
        self.hostDailySpent = hostDailySpent
        self.sessionPending = sessionPending
    }

    /// The rolling-24-hour spending for one host, 0 when absent.
    public func hostSpent(_ host: HostName) -> Micros { hostDailySpent[host] ?? .zero }
}
