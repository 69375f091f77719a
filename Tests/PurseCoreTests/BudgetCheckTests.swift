import Testing
@testable import PurseCore

/// The one budget decision, shared by every ledger backend's reservation and by every dry run.
@Suite struct BudgetCheckTests {
    let host = HostName("api.example.com")

    func usage(session: Int64 = 0, daily: Int64 = 0, host: Int64 = 0) -> BudgetUsage {
        BudgetUsage(sessionID: "s", sessionSpent: Micros(session), dailySpent: Micros(daily), hostDailySpent: [self.host: Micros(host)])
    }

    func check(_ amount: Int64, _ usage: BudgetUsage, _ limits: BudgetLimits) -> BudgetRefusal? {
        BudgetCheck.refusal(amount: Micros(amount), host: host, symbol: "USDC", usage: usage, limits: limits)
    }

    @Test func fitsExactlyUpToEachLimit() {
        let limits = BudgetLimits(perRequest: Micros(10), session: Micros(30), daily: Micros(30), perHostDaily: [host: Micros(30)])
        #expect(check(10, usage(session: 20, daily: 20, host: 20), limits) == nil)
    }

    @Test func limitsAreCheckedInOrder() {
        let limits = BudgetLimits(perRequest: Micros(10), session: Micros(10), daily: Micros(10), perHostDaily: [host: Micros(10)])
        #expect(check(11, usage(session: 10, daily: 10, host: 10), limits)?.limit == .perRequest)
        #expect(check(5, usage(session: 10, daily: 10, host: 10), limits)?.limit == .session)
        #expect(check(5, usage(session: 0, daily: 10, host: 10), limits)?.limit == .daily)
        #expect(check(5, usage(session: 0, daily: 0, host: 10), limits)?.limit == .hostDaily)
    }

    @Test func anOverflowingSumIsRefused() {
        let r = check(1, usage(daily: Int64.max), BudgetLimits(daily: Micros(Int64.max)))
        #expect(r?.code == "budget.daily_exceeded")
    }

    @Test func anotherHostsLimitDoesNotApply() {
        let limits = BudgetLimits(perHostDaily: [HostName("other.example"): Micros(1)])
        #expect(check(5, usage(host: 100), limits) == nil)
    }

    @Test func theMessageNamesEveryNumber() {
        let r = check(10_000, usage(session: 20_000), BudgetLimits(session: Micros(25_000)))
        #expect(r?.message == "session budget 0.025 USDC: 0.020 spent, 0.005 left, this payment needs 0.010")
        #expect(r?.remaining == Micros(5_000))
    }
}
