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
        func refusal(_ limit: BudgetRefusal.Limit, _ cap: Micros?, spent: Micros) -> BudgetRefusal {
            BudgetRefusal(limit: limit, limitAmount: cap ?? .zero, spent: spent, requested: amount, host: host, symbol: symbol)
        }
        if let refused = perRequestRefusal(amount: amount, host: host, symbol: symbol, limits: limits) { return refused }
        let c = ceilings(amount: amount, host: host, limits: limits)
        if !c.session.admits(usage.sessionSpent) { return refusal(.session, limits.session, spent: usage.sessionSpent) }
        if !c.daily.admits(usage.dailySpent) { return refusal(.daily, limits.daily, spent: usage.dailySpent) }
        if !c.hostDaily.admits(usage.hostSpent(host)) { return refusal(.hostDaily, limits.perHostDaily[host], spent: usage.hostSpent(host)) }
        return nil
    }

    /// The windows' ceilings for a payment of `amount` to `host`: what `refusal` compares each
    /// sum with, for a backend that compares inside its insert (the per-request cap is not among
    /// them; it needs no sum and is checked first).
    public static func ceilings(amount: Micros, host: HostName, limits: BudgetLimits) -> BudgetCeilings {
        BudgetCeilings(session: .init(cap: limits.session, amount: amount),
                       daily: .init(cap: limits.daily, amount: amount),
                       hostDaily: .init(cap: limits.perHostDaily[host], amount: amount))
    }

    /// The per-request refusal alone: a payment above the per-request cap is refused before any
    /// sum is read.
    public static func perRequestRefusal(amount: Micros, host: HostName, symbol: String, limits: BudgetLimits) -> BudgetRefusal? {
        guard let cap = limits.perRequest, amount > cap else { return nil }
        return BudgetRefusal(limit: .perRequest, limitAmount: cap, spent: .zero, requested: amount, host: host, symbol: symbol)
    }
}
