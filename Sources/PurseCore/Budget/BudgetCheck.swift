/// The one budget decision: would a payment of `amount` to `host` break a limit, given what
/// already counts?
///
/// Pure arithmetic, no IO. Each ledger backend calls it inside the transaction that makes the
/// reservation atomic (with sums that see every committed spend), and `quote`, `tool_quote` and
/// discovery call it on a read-only snapshot, so a dry run and a payment refuse with the same
/// code and the same message. Limits are checked in a fixed order: per request, session, daily,
/// host; the first one broken is reported. A sum that would overflow counts as broken.
public enum BudgetCheck {
    /// The first limit the payment would break, or nil when it fits every window.
    public static func refusal(amount: Micros, host: HostName, symbol: String, usage: BudgetUsage, limits: BudgetLimits) -> BudgetRefusal? {
        func refusal(_ limit: BudgetRefusal.Limit, _ cap: Micros, spent: Micros) -> BudgetRefusal {
            BudgetRefusal(limit: limit, limitAmount: cap, spent: spent, requested: amount, host: host, symbol: symbol)
        }
        func exceeds(_ spent: Micros, _ cap: Micros) -> Bool {
            guard let total = spent.adding(amount) else { return true }
            return total > cap
        }
        if let cap = limits.perRequest, amount > cap { return refusal(.perRequest, cap, spent: .zero) }
        if let cap = limits.session, exceeds(usage.sessionSpent, cap) { return refusal(.session, cap, spent: usage.sessionSpent) }
        if let cap = limits.daily, exceeds(usage.dailySpent, cap) { return refusal(.daily, cap, spent: usage.dailySpent) }
        if let cap = limits.perHostDaily[host], exceeds(usage.hostSpent(host), cap) {
            return refusal(.hostDaily, cap, spent: usage.hostSpent(host))
        }
        return nil
    }
}
