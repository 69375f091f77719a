import Ledger

extension Policy {
    /// The limits the ledger enforces on every reservation, from the human's policy.
    public var budgetLimits: BudgetLimits {
        BudgetLimits(
            perRequestMicros: config.maxPerRequestMicros, sessionMicros: config.sessionBudgetMicros,
            dailyMicros: config.dailyBudgetMicros, perHostDailyMicros: config.perHostDailyMicros)
    }
}
