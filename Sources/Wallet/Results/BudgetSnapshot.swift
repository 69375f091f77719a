import PurseCore

/// What has been spent and what is left, right after a call.
public struct BudgetSnapshot: Sendable, Equatable {
    /// The session's spending (settled plus pending).
    public var sessionSpent: Micros
    /// The session limit.
    public var sessionLimit: Micros
    /// The rolling-24-hour spending across every session using the ledger.
    public var dailySpent: Micros
    /// The daily limit.
    public var dailyLimit: Micros
    /// The symbol of the budget unit.
    public var symbol: String

    /// What the session may still spend.
    public var sessionRemaining: Micros { sessionLimit.remaining(after: sessionSpent) }
    /// What the day may still spend.
    public var dailyRemaining: Micros { dailyLimit.remaining(after: dailySpent) }

    /// "session 0.98 USDC left, today 4.98 USDC left".
    public var summary: String {
        "session \(sessionRemaining.formatted(symbol: symbol)) left, today \(dailyRemaining.formatted(symbol: symbol)) left"
    }
}
