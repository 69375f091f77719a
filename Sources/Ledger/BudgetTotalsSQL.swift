import PurseCore

/// The running budget totals both ledger backends keep, as SQL both accept: what they hold, how a
/// reservation reads the budget from them, and how `health` checks them against the payments.
///
/// Why totals: the budget sums a reservation checks ran over every counting payment of the
/// session and of the rolling 24 hours, inside the write lock, so a reservation's time grew with
/// the day's payments. The totals hold counting micros per host and creation minute
/// (`budget_minute`) and per session (`session.spent_micros`, `pending_micros`); a sum reads at
/// most 1,440 minute totals per host and the payments of one minute. PostgreSQL keeps them in
/// the statements that change payments, SQLite in triggers.
enum BudgetTotalsSQL {
    /// A row counts against budgets while its status does (`PaymentStatus.counts`), and is
    /// pending while `PaymentStatus.isPending`: the Swift definitions, as SQL conditions on the
    /// row `row` (`NEW`, `OLD` in a trigger) or on the unqualified columns.
    /// Spelled as equalities (`PaymentStatusSQL`), not `IN` lists.
    static func counts(_ row: String? = nil) -> String {
        PaymentStatusSQL.isNoneOf(PaymentStatus.allCases.filter { !$0.counts }, column: column("status", of: row))
    }
    static func isPending(_ row: String? = nil) -> String {
        PaymentStatusSQL.isOneOf(PaymentStatus.allCases.filter(\.isPending), column: column("status", of: row))
    }
    static let counts = counts()
    static let isPending = isPending()

    /// What a row adds to its totals: its micros while it counts (pending), else 0.
    static func countedMicros(_ row: String) -> String { "(CASE WHEN \(counts(row)) THEN \(row).micros ELSE 0 END)" }
    static func pendingMicros(_ row: String) -> String { "(CASE WHEN \(isPending(row)) THEN \(row).micros ELSE 0 END)" }

    private static func column(_ name: String, of row: String?) -> String { row.map { "\($0).\(name)" } ?? name }

    /// What each minute total should hold: counting micros per host and creation minute (of the
    /// payments `condition` keeps).
    static func minuteSums(where condition: String = "true") -> String {
        """
        SELECT host, created_at / 60000 AS minute, SUM(CASE WHEN \(counts) THEN micros ELSE 0 END) AS micros
        FROM payment WHERE \(condition) GROUP BY host, created_at / 60000
        """
    }
    static let minuteSums = minuteSums()

    /// Minutes of totals kept: a week before the newest. The budget reads the last 1,440, so
    /// older totals only took room, one row per host and minute with payments, for ever (a busy
    /// fleet's hundred hosts: 144,000 rows a day). A week leaves six days for the clocks of the
    /// machines sharing a ledger to disagree, and counts from the newest total rather than from
    /// this machine's clock, so a machine whose clock runs ahead cannot prune another's day.
    static let keptMinutes: Int64 = 7 * 1_440

    /// The first minute whose totals are kept (SQL).
    static let firstKeptMinute = "((SELECT COALESCE(MAX(minute), 0) FROM budget_minute) - \(keptMinutes))"

    /// Deletes the totals of the minutes before `firstKeptMinute`; a payment of such a minute
    /// that changes later (reconcile settling or releasing it) writes its minute's total again,
    /// which no budget reads and the next prune removes.
    static let prune = "DELETE FROM budget_minute WHERE minute < \(firstKeptMinute)"

    /// What each session's totals should hold: its counting (`spent`) and pending micros.
    static let sessionSums = """
        SELECT session_id, SUM(CASE WHEN \(counts) THEN micros ELSE 0 END) AS spent,
               SUM(CASE WHEN \(isPending) THEN micros ELSE 0 END) AS pending
        FROM payment GROUP BY session_id
        """

    /// How many totals differ from the sums of the payments, as two columns (minute totals of
    /// the kept minutes, sessions); `health` reports any that do.
    static let totalsDrift = """
        (SELECT count(*) FROM (\(minuteSums(where: "created_at >= \(firstKeptMinute) * 60000"))) p
         FULL JOIN (SELECT * FROM budget_minute WHERE minute >= \(firstKeptMinute)) b ON b.host = p.host AND b.minute = p.minute
         WHERE COALESCE(p.micros, 0) <> COALESCE(b.micros, 0)),
        (SELECT count(*) FROM session s LEFT JOIN (\(sessionSums)) t ON t.session_id = s.id
         WHERE s.spent_micros <> COALESCE(t.spent, 0) OR s.pending_micros <> COALESCE(t.pending, 0))
        """

    /// The session check and every sum `BudgetCheck` needs, as one statement's named columns:
    /// `known`, `session_spent`, `session_pending`, `daily`, `host_daily`. The arguments are SQL
    /// (parameters). The session's totals come from its row (looked up once, by its key);
    /// the rolling 24 hours are the running totals of every whole minute after the window's
    /// start, plus the rows of the minute the window starts in that are inside it, so a sum
    /// reads at most 1,440 totals per host and one minute of rows.
    ///
    /// `dailyIf` and `hostIf` (SQL conditions) let a reservation skip the sums of windows that
    /// have no limit: the sum reads 0 and is never compared (`BudgetCheck` ignores a window
    /// without a limit), which keeps that work out of the budget lock.
    static func usageSelect(session: String, windowStart ws: String, host: String, dailyIf: String = "true", hostIf: String = "true") -> String {
        """
        SELECT s.id IS NOT NULL AS known, COALESCE(s.spent_micros, 0) AS session_spent,
            COALESCE(s.pending_micros, 0) AS session_pending,
            CASE WHEN \(dailyIf) THEN (SELECT COALESCE(SUM(micros), 0) FROM budget_minute WHERE \(wholeMinutes(after: ws)))
                + (SELECT COALESCE(SUM(micros), 0) FROM payment WHERE \(firstMinuteRows(after: ws))) ELSE 0 END AS daily,
            CASE WHEN \(hostIf) THEN (SELECT COALESCE(SUM(micros), 0) FROM budget_minute WHERE host = \(host) AND \(wholeMinutes(after: ws)))
                + (SELECT COALESCE(SUM(micros), 0) FROM payment WHERE host = \(host) AND \(firstMinuteRows(after: ws))) ELSE 0 END AS host_daily
        FROM (SELECT 1) AS one LEFT JOIN session s ON s.id = \(session)
        """
    }

    /// Every host's sum over the rolling window starting at `ws`: its whole minutes' totals and
    /// its counting rows of the first minute (columns host, sum; hosts at 0 left out).
    static func hostSums(windowStart ws: String) -> String {
        """
        SELECT host, SUM(micros) FROM (
            SELECT host, micros FROM budget_minute WHERE \(wholeMinutes(after: ws))
            UNION ALL
            SELECT host, micros FROM payment WHERE \(firstMinuteRows(after: ws))
        ) w GROUP BY host HAVING SUM(micros) <> 0
        """
    }

    /// The minute totals wholly inside a rolling window that starts at `ws` (SQL, Unix ms).
    static func wholeMinutes(after ws: String) -> String { "minute > \(ws) / 60000" }

    /// The counting payments of the minute the window starting at `ws` starts in, that are
    /// inside the window: with `wholeMinutes`, exactly the window's payments.
    static func firstMinuteRows(after ws: String) -> String {
        "\(counts) AND created_at > \(ws) AND created_at < (\(ws) / 60000 + 1) * 60000"
    }
}
