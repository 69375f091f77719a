import Foundation
import Ledger
import PurseCore

/// Everything the report page shows, computed from the spend log: pure, no IO.
///
/// The totals are the spend log's own (`SpendLogReport.grandTotal`, `totalsByHost`,
/// `totalsBySession`, `budgetLines`), never summed a second way, so the page always equals
/// `purse spend-log --format json` for the same window. What the page adds (bars per day, the
/// largest payment, the unresolved list) is derived from the same payment rows.
public struct SpendReportModel: Sendable {
    /// The spend log the report draws.
    public let log: SpendLogReport
    /// The period and selection.
    public let window: ReportWindow
    /// Links to explorers.
    public let explorer: BlockExplorer
    /// How much is listed row by row.
    public let limits: ReportLimits

    /// Totals over every payment in the window.
    public let total: SpendLogReport.Total
    /// Totals per host or tool, the largest first (charged = settled + pending), capped.
    public let payees: [SpendLogReport.Total]
    /// The payees past the cap, summed (key `""`), or nil when none were cut.
    public let otherPayees: SpendLogReport.Total?
    /// How many payees were cut.
    public let otherPayeeCount: Int
    /// Totals per session, newest session first, capped.
    public let sessions: [SpendLogReport.Total]
    /// The sessions past the cap, summed, or nil.
    public let otherSessions: SpendLogReport.Total?
    /// How many sessions were cut.
    public let otherSessionCount: Int
    /// The sessions the ledger knows, by id.
    public let sessionRecords: [String: SessionRecord]
    /// Spend over time.
    public let series: SpendSeries
    /// The limits in force, with what is used of each.
    public let gauges: [BudgetGauge]
    /// Payments not yet resolved (reserved, sent, unknown), oldest first, capped.
    public let unresolved: [PaymentRecord]
    /// How many payments are not resolved, and their micros.
    public let unresolvedCount: Int
    /// Micros of the unresolved payments: what still counts against every budget.
    public let unresolvedMicros: Int64
    /// How many unresolved payments are in each status.
    public let unresolvedByStatus: [PaymentStatus: Int]
    /// The newest payments, for the table.
    public let tableRows: ArraySlice<PaymentRecord>
    /// Settled and pending micros created since today's UTC midnight, when the window covers it.
    public let today: (settled: Int64, pending: Int64)?
    /// Settled and pending micros of the last 7 × 24 hours, when the window covers them.
    public let lastWeek: (settled: Int64, pending: Int64)?

    /// Builds the model.
    ///
    /// - Parameters:
    ///   - log: the spend log for the window, as `SpendLog.report` returns it.
    ///   - window: the period and selection it was read for.
    ///   - explorer: which networks link to an explorer.
    ///   - limits: list caps.
    public init(log: SpendLogReport, window: ReportWindow, explorer: BlockExplorer = BlockExplorer(),
                limits: ReportLimits = ReportLimits()) {
        self.log = log
        self.window = window
        self.explorer = explorer
        self.limits = limits
        total = log.grandTotal

        let byCharge = log.totalsByHost.sorted {
            ($0.settledMicros &+ $0.pendingMicros, $1.key) > ($1.settledMicros &+ $1.pendingMicros, $0.key)
        }
        (payees, otherPayees, otherPayeeCount) = Self.cap(byCharge, limits.groupRows)
        (sessions, otherSessions, otherSessionCount) = Self.cap(log.totalsBySession, limits.groupRows)
        sessionRecords = Dictionary(log.sessions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        series = SpendSeries(payments: log.payments, window: window)

        // One pass for everything else the page derives from rows.
        let todayStart = CivilDate(window.now).start
        let weekStart = window.now.addingTimeInterval(-7 * 86_400)
        var todaySums: (Int64, Int64) = (0, 0)
        var weekSums: (Int64, Int64) = (0, 0)
        var largest: Int64 = 0
        var open: [PaymentRecord] = []
        var openMicros: Int64 = 0
        var openByStatus: [PaymentStatus: Int] = [:]
        // Fields are read in place: copying 100,000 records (a dozen strings each) costs more
        // than everything else the page derives.
        log.payments.withUnsafeBufferPointer { rows in
            for r in rows.indices {
                let status = rows[r].status
                guard status.counts else { continue }
                let m = rows[r].payment.micros.value
                let created = rows[r].createdAt
                let settled = status == .settled
                largest = max(largest, m)
                if !settled {
                    open.append(rows[r])
                    openMicros &+= m
                    openByStatus[status, default: 0] += 1
                }
                if created >= todayStart {
                    if settled { todaySums.0 &+= m } else { todaySums.1 &+= m }
                }
                if created >= weekStart {
                    if settled { weekSums.0 &+= m } else { weekSums.1 &+= m }
                }
            }
        }
        today = window.covers(todayStart) ? todaySums : nil
        lastWeek = window.covers(weekStart) ? weekSums : nil
        unresolvedCount = open.count
        unresolvedMicros = openMicros
        unresolvedByStatus = openByStatus
        unresolved = Array(open.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.prefix(limits.attentionRows))
        tableRows = log.payments.prefix(limits.paymentRows)
        gauges = Self.gauges(log: log, largest: largest)
    }

    /// Whether the window has no payment at all.
    public var isEmpty: Bool { log.payments.isEmpty }

    /// The symbol of budget amounts and totals.
    public var symbol: String { log.budgetSymbol }

    /// The spend log's budget lines as gauges; with no usage known yet (no ledger), the limits
    /// with nothing used.
    static func gauges(log: SpendLogReport, largest: Int64) -> [BudgetGauge] {
        let lines = log.budgetLines
        if lines.isEmpty, let limits = log.limits {
            var out: [BudgetGauge] = []
            if let v = limits.perRequest { out.append(BudgetGauge(limit: .perRequest, limitMicros: v.value, usedMicros: largest)) }
            if let v = limits.daily { out.append(BudgetGauge(limit: .daily, limitMicros: v.value, usedMicros: 0)) }
            for (host, v) in limits.perHostDaily.sorted(by: { $0.key < $1.key }) {
                out.append(BudgetGauge(limit: .hostDaily, host: host.name, limitMicros: v.value, usedMicros: 0))
            }
            return out
        }
        return lines.map { line in
            BudgetGauge(limit: line.limit, host: line.host,
                        sessionID: line.limit == .session ? log.currentSessionID : nil,
                        limitMicros: line.limitMicros,
                        usedMicros: line.limit == .perRequest ? largest : line.spentMicros)
        }
    }

    /// The first `n` totals, and the rest summed into one.
    static func cap(_ all: [SpendLogReport.Total], _ n: Int) -> ([SpendLogReport.Total], SpendLogReport.Total?, Int) {
        guard all.count > n else { return (all, nil, 0) }
        // Total's initializer is the spend log's own; start from the first cut entry instead.
        var rest = all[n]
        rest.key = ""
        for t in all[(n + 1)...] {
            rest.settledMicros &+= t.settledMicros
            rest.pendingMicros &+= t.pendingMicros
            rest.releasedMicros &+= t.releasedMicros
            rest.count += t.count
        }
        return (Array(all.prefix(n)), rest, all.count - n)
    }
}
