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

    @Test func ceilingsAreTheCapMinusTheAmount() {
        let limits = BudgetLimits(session: Micros(30), daily: Micros(5), perHostDaily: [host: Micros(12)])
        let c = BudgetCheck.ceilings(amount: Micros(10), host: host, limits: limits)
        #expect(c.session == .atMost(Micros(20)))
        #expect(c.daily == .nothingFits)
        #expect(c.hostDaily == .atMost(Micros(2)))
        #expect(c.session.sqlBound == 20 && c.daily.sqlBound == -1)
        let none = BudgetCheck.ceilings(amount: Micros(10), host: HostName("other.example"), limits: limits)
        #expect(none.hostDaily == .unlimited && none.hostDaily.sqlBound == nil)
    }

    /// The ceilings admit exactly what `spent + amount <= cap` admits, on every small case and at
    /// the edges of Int64: a backend that compares ceilings in SQL decides as `refusal` does.
    @Test func ceilingsAgreeWithTheArithmetic() {
        let values: [Int64] = [0, 1, 2, 3, 7, 10, Int64.max / 2, Int64.max - 1, Int64.max]
        for cap in values {
            for amount in values {
                for spent in values {
                    let ceiling = BudgetCheck.ceilings(amount: Micros(amount), host: host, limits: BudgetLimits(daily: Micros(cap))).daily
                    let (sum, overflow) = spent.addingReportingOverflow(amount)
                    #expect(ceiling.admits(Micros(spent)) == (!overflow && sum <= cap), "cap \(cap) amount \(amount) spent \(spent)")
                }
            }
        }
    }
}
