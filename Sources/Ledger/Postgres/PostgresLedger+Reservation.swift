import Foundation
import PostgresClient
import PurseCore

extension PostgresLedger {
    /// Reserves a payment in **one round trip**, so that the budget lock is held only while the
    /// server runs one small statement, never across a client round trip, an index-heavy insert
    /// or a disk flush. One pipeline of two implicit transactions (READ COMMITTED, the session's
    /// default, set when the connection opens):
    ///
    ///     EXECUTE purse_insert(…);          -- the row, invisible to others until the commit
    ///     EXECUTE purse_budget_lock;        -- SELECT … FOR UPDATE: every reservation takes turns
    ///                                       -- here; also makes this commit asynchronous
    ///     EXECUTE purse_reserve(…);         -- sums, check; the row joins the totals or is deleted
    ///     Sync                              -- commits, releasing the lock at once
    ///     EXECUTE purse_flush; Sync         -- a WAL record in a synchronous commit: returns once
    ///                                       -- the WAL, this reservation included, is on disk
    ///
    /// The statements are prepared once per connection (planned once). `purse_reserve` reads the
    /// usage sums from the running totals (`budget_minute`, the session's columns; the statement
    /// starts after the lock was granted, so it sees every reservation committed before; the
    /// row inserted just before is in none of the sums), and keeps the row only if each sum is
    /// within `BudgetCheck.ceilings` (the one budget decision, the same comparisons
    /// `BudgetCheck.refusal` makes in Swift), adding it to the totals; otherwise it deletes it, so
    /// a refusal commits nothing. It returns the sums and the id; a refused payment's sums then go
    /// through `BudgetCheck.refusal` for the reason.
    ///
    /// Durability is unchanged: the call returns only after the synchronous commit that follows
    /// has flushed the WAL, which holds this reservation's commit record before its own; a crash
    /// can only lose a reservation whose caller was never answered (and so signed nothing).
    /// Another machine may see the row before it is on disk, which can only make it refuse more.
    /// Releasing the lock before the flush is what lets PostgreSQL group the commits of many
    /// machines into one fsync.
    ///
    /// Faults: the server unreachable → `ledger.unavailable`; the pipeline not sent, or a statement
    /// before COMMIT failed with the connection → retried once on a fresh connection, then
    /// `ledger.connection_lost` (nothing stored); COMMIT or the flush unanswered →
    /// `ledger.commit_unknown` (the row may exist and then counts until reconcile releases it;
    /// the caller signs nothing); a statement timeout → `ledger.timeout`.
    /// The usage is not returned: the ceilings are compared with the running totals in SQL.
    public func reserveWithUsage(_ p: NewPayment, limits: BudgetLimits, now: Date) throws(LedgerReserveError) -> Reservation {
        guard !p.sessionID.isEmpty else { throw .ledger(.invalidArgument("session id is empty")) }
        guard !p.host.name.isEmpty else { throw .ledger(.invalidArgument("host is empty")) }
        guard p.micros.value >= 0, p.amountAtomic >= 0 else { throw .ledger(.badAmount("amount is negative")) }
        guard (0...36).contains(p.decimals) else { throw .ledger(.badAmount("token decimals \(p.decimals) are outside 0...36")) }
        if let refusal = BudgetCheck.perRequestRefusal(amount: p.micros, host: p.host, symbol: p.assetSymbol, limits: limits) {
            throw .refused(refusal)
        }
        let nowMs = LedgerTime.millis(now)
        let record = PaymentRecord(id: 0, payment: p, createdAt: LedgerTime.date(nowMs), updatedAt: LedgerTime.date(nowMs), status: .reserved)
        let ceilings = BudgetCheck.ceilings(amount: p.micros, host: p.host, limits: limits)
        let bounds = [nowMs - LedgerTime.dayMillis, ceilings.session.sqlBound, ceilings.daily.sqlBound, ceilings.hostDaily.sqlBound]
        let location = self.location
        let answer: PostgresRows
        do {
            answer = try withConnection { conn in
                try conn.prepareOnce("purse_insert", parameterTypes: Self.insertParameterTypes, Self.insertSQL)
                try conn.prepareOnce("purse_budget_lock", parameterTypes: [], Self.reserveLockSQL)
                try conn.prepareOnce("purse_reserve", parameterTypes: Self.reserveParameterTypes, Self.reserveSQL)
                try conn.prepareOnce("purse_flush", parameterTypes: [], Self.flushSQL)
                let reserveArgs = [p.sessionID, Self.text(bounds[0]!), p.host.name, Self.text(nowMs), Self.text(p.micros.value)]
                    + bounds.dropFirst().map { $0.map(Self.text) }
                // A deadlock with a transition on the same totals rows is retried (bounded).
                for attempt in 1...3 {
                    do {
                        return try conn.pipeline(transaction: [
                            .prepared("purse_insert", Self.values(record)),
                            .prepared("purse_budget_lock"),
                            .prepared("purse_reserve", reserveArgs),
                        ], then: [.prepared("purse_flush")])[2]
                    } catch let e as PostgresError where e.isRetryable && attempt < 3 {
                        continue
                    }
                }
                throw LedgerError.server(location: location, sqlState: nil, detail: "the reservation kept meeting deadlocks")
            }
        } catch {
            throw .ledger(error)
        }
        guard let row = answer.rows.first, row.count == 6 else {
            throw .ledger(.server(location: location, sqlState: nil, detail: "the reservation answered no sums"))
        }
        if let id = row[5].flatMap({ Int64($0) }) {
            var stored = record
            stored.id = id
            return Reservation(record: stored, usageBefore: nil)
        }
        guard row[0] == "t" else { throw .ledger(.unknownSession(p.sessionID)) }
        let usage: BudgetUsage
        do { usage = try Self.usage(answer, sessionID: p.sessionID, host: p.host, location: location) } catch { throw .ledger(error) }
        guard let refusal = BudgetCheck.refusal(amount: p.micros, host: p.host, symbol: p.assetSymbol, usage: usage, limits: limits) else {
            throw .ledger(.server(location: location, sqlState: nil,
                                  detail: "the database refused a reservation that the budget check admits (sums \(row.prefix(5).map { $0 ?? "NULL" }))"))
        }
        throw .refused(refusal)
    }

    public func usage(sessionID: String, host: HostName?, allHosts: Bool, now: Date) throws(LedgerError) -> BudgetUsage {
        let windowStart = LedgerTime.millis(now) - LedgerTime.dayMillis
        let location = self.location
        return try withConnection { conn in
            try conn.transaction(TransactionOptions(isolation: .repeatableRead, readOnly: true)) { tx in
                let sums = try tx.query(Self.usageSQL, [sessionID, Self.text(windowStart), host?.name ?? ""])
                var usage = try Self.usage(sums, sessionID: sessionID, host: host, location: location)
                if allHosts {
                    let rows = try tx.query(BudgetTotalsSQL.hostSums(windowStart: "$1::bigint"), [Self.text(windowStart)])
                    for r in rows.rows {
                        guard let h = r[0], let v = r[1].flatMap({ Int64($0) }) else { continue }
                        usage.hostDailySpent[HostName(h)] = Micros(v)
                    }
                }
                return usage
            }
        }
    }

    /// What confirms a reservation's durability after its asynchronous commit: a transaction
    /// whose only write is a WAL message (no table row, so nothing to clean up), committed
    /// synchronously, so it returns once the WAL up to its own commit record (which follows the
    /// reservation's) is flushed.
    static let flushSQL = "SELECT pg_logical_emit_message(true, 'purse', 'reserved')"

    /// The budget row lock every reservation takes first.
    static let lockSQL = "SELECT id FROM budget_lock WHERE id = 1 FOR UPDATE"

    /// The lock as a reservation takes it: the same row lock, and this transaction's commit made
    /// asynchronous (`purse_flush` confirms durability after the lock is gone).
    static let reserveLockSQL = "SELECT id, set_config('synchronous_commit', 'off', true) FROM budget_lock WHERE id = 1 FOR UPDATE"

    /// `usageSelect` with parameters: $1 session id, $2 window start (ms), $3 host.
    static let usageSQL = BudgetTotalsSQL.usageSelect(session: "$1", windowStart: "$2::bigint", host: "$3")

    /// The payment's row, inserted before the budget lock is taken (invisible to every other
    /// transaction until COMMIT, and outside every sum `reserveSQL` reads: the edge minute is a
    /// day old and the totals do not hold it yet), so that its six index entries are written
    /// while other machines still hold the lock. $1…$31: the payment's `columns`.
    static let insertSQL = "INSERT INTO payment (id, budget_rev, \(columns.joined(separator: ", "))) VALUES (nextval(pg_get_serial_sequence('payment', 'id')), 2, "
        + (1...columns.count).map { "$\($0)" }.joined(separator: ", ") + ")"

    /// `insertSQL`'s parameter types.
    static let insertParameterTypes = columns.map { columnTypes[$0] ?? "text" }

    /// The decision, under the budget lock: $1 the session, $2 the window start (ms), $3 the
    /// host, $4 the row's created_at, $5 its micros, $6 $7 $8 the session, daily and host
    /// ceilings (`BudgetCeilings.Ceiling.sqlBound`). Within the ceilings, the row just inserted
    /// (`currval`) joins the totals; otherwise it is deleted again. Answers `usageSelect`'s
    /// columns and the id (NULL when refused or the session is unknown).
    static let reserveSQL = """
        WITH u AS (\(BudgetTotalsSQL.usageSelect(session: "$1", windowStart: "$2", host: "$3", dailyIf: "$7 IS NOT NULL", hostIf: "$8 IS NOT NULL"))),
        ok AS (
            SELECT currval(pg_get_serial_sequence('payment', 'id')) AS id FROM u
            WHERE u.known AND ($6 IS NULL OR u.session_spent <= $6) AND ($7 IS NULL OR u.daily <= $7)
                AND ($8 IS NULL OR u.host_daily <= $8)),
        del AS (
            DELETE FROM payment WHERE id = (SELECT currval(pg_get_serial_sequence('payment', 'id'))) AND NOT EXISTS (SELECT 1 FROM ok)),
        b AS (\(PostgresSchema.addToMinutes("SELECT $3, $4 / 60000, $5 FROM ok"))),
        t AS (\(PostgresSchema.addToSession(spent: "$5", pending: "$5", where: "id = $1 AND EXISTS (SELECT 1 FROM ok)")))
        SELECT u.known, u.session_spent, u.session_pending, u.daily, u.host_daily, (SELECT id FROM ok) FROM u
        """

    /// `reserveSQL`'s parameter types.
    static let reserveParameterTypes = ["text", "bigint", "text", "bigint", "bigint", "bigint", "bigint", "bigint"]

    /// The SQL type of each column that is not text, for `reserveSQL`'s parameter list.
    static let columnTypes: [String: String] = [
        "created_at": "bigint", "updated_at": "bigint", "amount_atomic": "bigint", "micros": "bigint", "valid_before": "bigint",
        "max_amount_atomic": "bigint", "decimals": "integer", "x402_version": "integer", "http_status": "integer",
    ]

    /// Reads `usageSQL`'s answer; the host's sum is included when `host` is given (even at 0).
    static func usage(_ sums: PostgresRows, sessionID: String, host: HostName?, location: String) throws(LedgerError) -> BudgetUsage {
        guard let row = sums.rows.first, row.count >= 5 else {
            throw .server(location: location, sqlState: nil, detail: "the budget sums came back malformed")
        }
        func int(_ i: Int) throws(LedgerError) -> Int64 {
            guard let text = row[i], let v = Int64(text) else {
                throw .corrupt(path: location, detail: "a budget sum is \(row[i] ?? "NULL"), not a 64-bit integer")
            }
            return v
        }
        var hosts: [HostName: Micros] = [:]
        if let host { hosts[host] = Micros(try int(4)) }
        return BudgetUsage(sessionID: sessionID, sessionSpent: Micros(try int(1)), dailySpent: Micros(try int(3)),
                           hostDailySpent: hosts, sessionPending: Micros(try int(2)))
    }

    /// Every column of a payment row but the id, in `values`' order (`PaymentColumns`).
    static var columns: [String] { PaymentColumns.names }

    /// The values of `record` for `columns`, as PostgreSQL text (the same values SQLite stores).
    static func values(_ r: PaymentRecord) -> [String?] { PaymentColumns.values(r).map { $0.text } }
}
