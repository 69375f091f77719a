import Foundation
import PurseCore

/// The spend log as a table for humans, JSON for programs, or CSV for spreadsheets.
///
/// Pure: built from records already read from the ledger; no IO. All three forms carry the same
/// numbers. Amounts of a payment are in its own token; totals and budgets are in budget units
/// (micros, shown as whole tokens with `budgetSymbol`, or with the payments' symbol when they all
/// share one).
public struct SpendLogReport: Sendable {
    /// The payments, in the order given (the ledger returns newest first).
    public let payments: [PaymentRecord]
    /// Known sessions, for kinds and labels.
    public let sessions: [SessionRecord]
    /// The limits in force, for the "Budget left" section.
    public let limits: BudgetLimits?
    /// The usage at `now`, for the "Budget left" section.
    public let usage: BudgetUsage?
    /// The session of the caller, marked in the table.
    public let currentSessionID: String?
    /// When the report was made.
    public let now: Date
    /// The symbol for totals and budgets.
    public let budgetSymbol: String

    /// Creates a report; `budgetSymbol` names budget units when payments mix tokens (default USDC).
    public init(payments: [PaymentRecord], sessions: [SessionRecord], limits: BudgetLimits?, usage: BudgetUsage?,
                currentSessionID: String?, now: Date, budgetSymbol: String = "USDC") {
        self.payments = payments
        self.sessions = sessions
        self.limits = limits
        self.usage = usage
        self.currentSessionID = currentSessionID
        self.now = now
        // Read in place: a record holds a dozen strings, and reports may hold 100,000 of them.
        var symbols = Set<String>()
        payments.withUnsafeBufferPointer { rows in
            for i in rows.indices where symbols.count < 2 { symbols.insert(rows[i].payment.assetSymbol) }
        }
        self.budgetSymbol = symbols.count == 1 ? symbols.first! : budgetSymbol
    }

    // MARK: - Totals

    /// Settled and pending micros and a count, for one group of payments.
    public struct Total: Sendable, Equatable {
        /// The session id or host the total is for.
        public var key: String
        /// Micros of `settled` rows.
        public var settledMicros: Int64 = 0
        /// Micros of `reserved`, `sent` and `unknown` rows.
        public var pendingMicros: Int64 = 0
        /// Micros of `failed` (released) rows, not charged.
        public var releasedMicros: Int64 = 0
        /// How many payments are in the group.
        public var count: Int = 0
    }

    /// Totals per session, sessions in the order of `sessions` (newest first), then unknown ones.
    public var totalsBySession: [Total] {
        let order = Dictionary(sessions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        return Self.totals(payments, key: { $0.sessionID }).sorted {
            (order[$0.key] ?? Int.max, $0.key) < (order[$1.key] ?? Int.max, $1.key)
        }
    }

    /// Totals per host, by host name.
    public var totalsByHost: [Total] {
        Self.totals(payments, key: { $0.host.name }).sorted { $0.key < $1.key }
    }

    /// Totals over every payment.
    public var grandTotal: Total {
        Self.totals(payments, key: { _ in "" }).first ?? Total(key: "")
    }

    private static func totals(_ payments: [PaymentRecord], key: (PaymentRecord) -> String) -> [Total] {
        var byKey: [String: Total] = [:]
        // Rows are read in place rather than copied (a record holds a dozen strings; copying
        // 100,000 of them for each of the three totals cost more than the sums).
        payments.withUnsafeBufferPointer { rows in
            for i in rows.indices {
                let k = key(rows[i])
                let micros = rows[i].payment.micros.value
                let status = rows[i].status
                func add(_ t: inout Total) {
                    t.count += 1
                    switch status {
                    case .settled: t.settledMicros = t.settledMicros &+ micros
                    case .failed: t.releasedMicros = t.releasedMicros &+ micros
                    case .reserved, .sent, .unknown: t.pendingMicros = t.pendingMicros &+ micros
                    }
                }
                add(&byKey[k, default: Total(key: k)])
            }
        }
        return Array(byKey.values)
    }

    // MARK: - Budget

    /// One budget line: a limit, what counts against it, and what is left.
    public struct BudgetLine: Sendable, Equatable {
        /// Which limit.
        public var limit: BudgetRefusal.Limit
        /// The host, for `hostDaily`.
        public var host: String?
        /// The limit, in micros.
        public var limitMicros: Int64
        /// What counts against it, in micros (0 for the per-request cap).
        public var spentMicros: Int64
        /// What is left, never negative.
        public var leftMicros: Int64 { max(0, limitMicros - min(limitMicros, spentMicros)) }
    }

    /// The budget lines, when both limits and usage are known: per-request, session (when the
    /// report is about one session), daily, hosts.
    public var budgetLines: [BudgetLine] {
        guard let limits, let usage else { return [] }
        var lines: [BudgetLine] = []
        if let v = limits.perRequest { lines.append(BudgetLine(limit: .perRequest, limitMicros: v.value, spentMicros: 0)) }
        // The session window only means something when the report is about one session.
        if let v = limits.session, currentSessionID != nil {
            lines.append(BudgetLine(limit: .session, limitMicros: v.value, spentMicros: usage.sessionSpent.value))
        }
        if let v = limits.daily {
            lines.append(BudgetLine(limit: .daily, limitMicros: v.value, spentMicros: usage.dailySpent.value))
        }
        for (host, v) in limits.perHostDaily.sorted(by: { $0.key < $1.key }) {
            lines.append(BudgetLine(limit: .hostDaily, host: host.name, limitMicros: v.value, spentMicros: usage.hostSpent(host).value))
        }
        return lines
    }

    // MARK: - Formatting helpers

    /// A payment's amount in its token: exact, shortest form (`0.01`).
    static func amount(_ p: PaymentRecord, minFractionDigits: Int = 0) -> String {
        AmountFormat.decimalString(atomic: p.amountAtomic, decimals: p.decimals, minFractionDigits: minFractionDigits)
    }

    /// The signed maximum of a payment settled for its actual amount (`upto`), in whole tokens;
    /// nil for a fixed-price payment.
    static func maxAmount(_ p: PaymentRecord) -> String? {
        p.maxAmountAtomic.map { AmountFormat.decimalString(atomic: $0, decimals: p.decimals, minFractionDigits: 0) }
    }

    /// Micros as whole budget units.
    static func units(_ micros: Int64, minFractionDigits: Int = 0) -> String {
        AmountFormat.decimalString(atomic: micros, decimals: 6, minFractionDigits: minFractionDigits)
    }

    /// `2026-11-22 14:03:05Z` (UTC), or with `iso` `2026-11-22T14:03:05.123Z`.
    static func timestamp(_ date: Date, iso: Bool = false) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        func pad(_ v: Int?, _ n: Int) -> String {
            let s = String(v ?? 0)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        let day = "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
        let time = "\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
        if !iso { return "\(day) \(time)Z" }
        let millis = Int((Double(c.nanosecond ?? 0) / 1_000_000).rounded(.down))
        return "\(day)T\(time).\(pad(millis, 3))Z"
    }
}
