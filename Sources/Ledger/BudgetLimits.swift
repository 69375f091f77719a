/// The spending limits checked by `Ledger.reserve`, all in micro-units (10^-6 of one whole token).
///
/// A `nil` limit is not checked. Host keys are exact lower-case host names.
public struct BudgetLimits: Sendable, Equatable {
    /// The most one payment may cost.
    public var perRequestMicros: Int64?
    /// The most one session may spend in total.
    public var sessionMicros: Int64?
    /// The most all sessions and processes may spend in any rolling 24 hours.
    public var dailyMicros: Int64?
    /// The most that may be paid to one host in any rolling 24 hours, by lower-case host name.
    public var perHostDailyMicros: [String: Int64]

    /// Creates limits; omitted ones are not checked.
    public init(perRequestMicros: Int64? = nil, sessionMicros: Int64? = nil, dailyMicros: Int64? = nil,
                perHostDailyMicros: [String: Int64] = [:]) {
        self.perRequestMicros = perRequestMicros
        self.sessionMicros = sessionMicros
        self.dailyMicros = dailyMicros
        self.perHostDailyMicros = perHostDailyMicros
    }

    /// No limits at all.
    public static let none = BudgetLimits()

    /// The per-host daily limit for `host` (compared lower-cased), if one is set.
    public func hostDailyMicros(for host: String) -> Int64? {
        perHostDailyMicros[host.lowercased()]
    }
}
