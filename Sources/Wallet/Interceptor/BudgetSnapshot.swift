import X402

/// What has been spent and what is left, in micro-units, right after a call.
public struct BudgetSnapshot: Sendable, Equatable {
    /// The session's spending (settled plus pending).
    public var sessionSpentMicros: Int64
    /// The session limit.
    public var sessionLimitMicros: Int64
    /// The rolling-24-hour spending across every session using the database.
    public var dailySpentMicros: Int64
    /// The daily limit.
    public var dailyLimitMicros: Int64
    /// The symbol of the budget unit.
    public var symbol: String

    /// What the session may still spend.
    public var sessionRemainingMicros: Int64 { max(0, sessionLimitMicros - sessionSpentMicros) }
    /// What the day may still spend.
    public var dailyRemainingMicros: Int64 { max(0, dailyLimitMicros - dailySpentMicros) }

    /// "session 0.98 USDC left, today 4.98 USDC left".
    public var summary: String {
        "session \(AmountText.format(micros: sessionRemainingMicros, symbol: symbol)) left, today \(AmountText.format(micros: dailyRemainingMicros, symbol: symbol)) left"
    }
}
