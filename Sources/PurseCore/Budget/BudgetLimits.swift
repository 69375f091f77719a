/// The spending limits every reservation is checked against, from the human's policy.
///
/// A `nil` limit is not checked. They only ever come from the config file: no tool, flag or
/// environment variable can raise one.
public struct BudgetLimits: Sendable, Equatable {
    /// The most one payment may cost.
    public var perRequest: Micros?
    /// The most one session may spend in total.
    public var session: Micros?
    /// The most all sessions, processes and machines sharing the ledger may spend in any rolling 24 hours.
    public var daily: Micros?
    /// The most that may be paid to one host in any rolling 24 hours.
    public var perHostDaily: [HostName: Micros]

    /// Creates limits; omitted ones are not checked.
    public init(perRequest: Micros? = nil, session: Micros? = nil, daily: Micros? = nil, perHostDaily: [HostName: Micros] = [:]) {
        self.perRequest = perRequest
        self.session = session
        self.daily = daily
        self.perHostDaily = perHostDaily
    }

    /// No limits at all.
    public static let none = BudgetLimits()
}
