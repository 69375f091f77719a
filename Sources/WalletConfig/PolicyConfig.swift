import PurseCore

/// The human's spending policy, as written in the `policy` object of the config file.
///
/// Amounts are budget micro-units (10⁻⁶) of the paying token: for USDC, `Micros(100_000)` is $0.10. No tool
/// and no environment variable can raise these; only the config file (and `purse fetch` flags
/// that can only lower them).
public struct PolicyConfig: Sendable, Equatable {
    /// The most one request may cost (default 0.10).
    public var maxPerRequest = Micros(100_000)
    /// The most one session (one `purse serve` process, one `purse fetch`) may spend (default 1.00).
    public var sessionBudget = Micros(1_000_000)
    /// The most all sessions sharing the database may spend in any rolling 24 hours (default 5.00).
    public var dailyBudget = Micros(5_000_000)
    /// Payments above this ask the human first (nil: never ask).
    public var confirmAbove: Micros?
    /// Host patterns that may be paid (empty: any host not denied). `*.example.com` matches subdomains.
    public var allowHosts: [String] = []
    /// Host patterns that are never paid; deny wins over allow.
    public var denyHosts: [String] = []
    /// Rolling-24-hour limits per exact host name.
    public var perHostDaily: [HostName: Micros] = [:]
    /// CAIP-2 networks that may be paid on; nil means the default (testnets only).
    public var allowNetworks: [String]?
    /// Token addresses that may be paid with; nil means the known USDC (and configured tokens) of each allowed network.
    public var allowAssets: [String]?

    /// Creates the defaults.
    public init() {}

    /// The limits every reservation is checked against (`BudgetCheck`).
    public var budgetLimits: BudgetLimits {
        BudgetLimits(perRequest: maxPerRequest, session: sessionBudget, daily: dailyBudget, perHostDaily: perHostDaily)
    }
}
