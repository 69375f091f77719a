import Foundation
import Ledger
import PurseCore
import Testing
@testable import SpendReport

@Suite struct SpendReportModelTests {
    let model = SpendReportModel(log: Fixtures.log(), window: ReportWindow(since: nil, now: Fixtures.now))

    @Test func totalsAreTheSpendLogs() {
        let log = Fixtures.log()
        #expect(model.total == log.grandTotal)
        #expect(Set(model.payees.map(\.key)) == Set(log.totalsByHost.map(\.key)))
        for t in model.payees { #expect(log.totalsByHost.contains(t)) }
        #expect(model.sessions == log.totalsBySession)
        #expect(model.total.settledMicros == 70_000 && model.total.pendingMicros == 20_000 && model.total.releasedMicros == 200_000_000)
    }

    @Test func payeesLargestFirst() {
        #expect(model.payees.map(\.key) == ["api.example.com", "mcp:weather", "v1.example.org"])
    }

    @Test func barsAddUpToTheTotals() {
        let settled = model.series.buckets.reduce(Int64(0)) { $0 + $1.settledMicros }
        let pending = model.series.buckets.reduce(Int64(0)) { $0 + $1.pendingMicros }
        #expect(settled == model.total.settledMicros && pending == model.total.pendingMicros)
        #expect(model.series.period == .day)
        #expect(model.series.buckets.map(\.start) == ["2026-11-28", "2026-11-29", "2026-11-30"])
        #expect(model.series.buckets.last?.count == 5)
    }

    @Test func unresolvedAreOldestFirstAndSummed() {
        #expect(model.unresolvedCount == 2)
        #expect(model.unresolvedMicros == 20_000)
        #expect(model.unresolved.map(\.id) == [5, 6])
        #expect(model.unresolvedByStatus == [.sent: 1, .unknown: 1])
    }

    @Test func todayAndLastWeekOnlyWhenTheWindowCoversThem() {
        #expect(model.today.map { $0.settled + $0.pending } == 50_000)
        #expect(model.lastWeek.map { $0.settled + $0.pending } == 90_000)
        let narrow = SpendReportModel(log: Fixtures.log(), window: ReportWindow(since: Fixtures.now.addingTimeInterval(-3_600), now: Fixtures.now))
        #expect(narrow.today == nil && narrow.lastWeek == nil)
    }

    @Test func gaugesFollowTheBudgetLines() {
        let limits = model.gauges.map(\.limit)
        #expect(limits == [.perRequest, .session, .daily, .hostDaily])
        // Per request: the largest payment that counts (the released 200 USDC does not).
        #expect(model.gauges[0].usedMicros == 30_000 && model.gauges[0].limitMicros == 100_000)
        #expect(model.gauges[1].sessionID == Fixtures.serve.id && model.gauges[1].usedMicros == 50_000)
        #expect(model.gauges[3].host == "api.example.com" && model.gauges[3].leftMicros == 30_000)
        #expect(abs(model.gauges[3].fraction - 0.4) < 1e-9)
    }

    @Test func gaugesWithoutUsageShowTheLimits() {
        let empty = SpendLogReport(payments: [], sessions: [], limits: Fixtures.limits, usage: nil, currentSessionID: nil, now: Fixtures.now)
        let m = SpendReportModel(log: empty, window: ReportWindow(since: nil, now: Fixtures.now))
        #expect(m.gauges.map(\.limit) == [.perRequest, .daily, .hostDaily])
        #expect(m.gauges.allSatisfy { $0.usedMicros == 0 })
        #expect(m.isEmpty)
    }

    @Test func groupsAreCappedWithTheRestSummed() {
        let many = (1...40).map { Fixtures.payment(Int64($0), host: "h\($0).example", atomic: Int64($0) * 1_000) }
        let m = SpendReportModel(log: Fixtures.log(many), window: ReportWindow(since: nil, now: Fixtures.now),
                                 limits: ReportLimits(paymentRows: 10, groupRows: 25))
        #expect(m.payees.count == 25 && m.otherPayeeCount == 15)
        #expect(m.payees.first?.key == "h40.example")
        let shown = m.payees.reduce(Int64(0)) { $0 + $1.settledMicros }
        #expect(shown + (m.otherPayees?.settledMicros ?? 0) == m.total.settledMicros)
        #expect(m.tableRows.count == 10 && m.tableRows.first?.id == 1)
    }

    @Test(arguments: [(10, SpendSeries.Period.day), (100, .week), (1_000, .month)])
    func longWindowsUseLongerBars(days: Int, period: SpendSeries.Period) {
        let old = Fixtures.payment(1, ago: Double(days) * 86_400)
        let m = SpendReportModel(log: Fixtures.log([Fixtures.payment(2), old]), window: ReportWindow(since: nil, now: Fixtures.now))
        #expect(m.series.period == period)
        #expect(m.series.buckets.count <= 63)
        #expect(m.series.buckets.reduce(Int64(0)) { $0 + $1.settledMicros } == 20_000)
    }

    @Test func aPaymentDatedAfterNowLandsInTheLastBar() {
        let future = Fixtures.payment(1, ago: -86_400 * 2)
        let m = SpendReportModel(log: Fixtures.log([future]), window: ReportWindow(since: nil, now: Fixtures.now))
        #expect(m.series.buckets.last?.settledMicros == 10_000)
    }
}
