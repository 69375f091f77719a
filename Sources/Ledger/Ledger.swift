import Foundation
import GRDB
import PurseCore

/// The payment ledger: one SQLite file shared by every Purse process of a user.
///
/// Budgets cannot be overspent because `reserve` checks every window and inserts the row in one
/// `BEGIN IMMEDIATE` transaction, committed (with `synchronous=FULL` by default) before it
/// returns; SQLite lets one such transaction run at a time across all processes on the file.
/// Rows that are `reserved`, `sent`, `settled` or `unknown` count against every budget, so a crash
/// at any point can only over-count, never under-count, until `reconcile` resolves the row.
///
/// Each instance owns one connection (a GRDB `DatabaseQueue` in WAL mode) and is safe to share
/// between threads. Time is always passed in, so that tests control the windows.
public final class Ledger: Sendable {
    /// The file this ledger writes.
    public let path: String
    /// The options it was opened with.
    public let options: LedgerOptions
    private let dbQueue: DatabaseQueue
    private let gate: ReservationGate
    /// The connection, for the internal helpers in `Ledger+Testing.swift`.
    var dbQueueForTesting: DatabaseQueue { dbQueue }

    /// The length of the rolling daily window, in milliseconds.
    static let dayMillis: Int64 = 86_400_000

    /// The default ledger path: `PURSE_DB`, else `$XDG_DATA_HOME/purse/purse.db`, else
    /// `~/.local/share/purse/purse.db` (HOME from the environment, then the user database).
    public static func defaultPath(environment: [String: String]) -> String {
        if let p = environment["PURSE_DB"], !p.isEmpty { return p }
        if let x = environment["XDG_DATA_HOME"], x.hasPrefix("/") { return x + "/purse/purse.db" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.local/share/purse/purse.db"
    }

    /// Opens (creating if needed) the ledger at `path` and brings its schema up to date.
    ///
    /// A missing directory is created with mode 0700 and a new file with mode 0600 (its -wal and
    /// -shm files are kept owner-only too). A file that is not a SQLite database, is truncated or
    /// damaged, belongs to another program, or was written by a newer Purse is refused and left
    /// unmodified. `PRAGMA quick_check` runs on open unless `options.quickCheckOnOpen` is false.
    ///
    /// - Throws: `ledger.not_a_database`, `ledger.corrupt`, `ledger.newer_schema`,
    ///   `ledger.read_only`, `ledger.open_failed`, `ledger.busy`, `ledger.disk_full`.
    public init(path: String, options: LedgerOptions = .init()) throws(LedgerError) {
        self.path = path
        self.options = options
        _ = try LedgerFile.prepare(path: path)

        let busy = BusyRetry(timeout: options.busyTimeout)
        var config = Configuration()
        config.label = "purse.ledger"
        config.busyMode = .callback { busy.shouldRetry($0) }
        config.journalMode = .default // WAL is set below, after the file has been validated.
        config.foreignKeysEnabled = true
        let synchronous = options.synchronousFull ? "FULL" : "NORMAL"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
        }
        let timeout = options.busyTimeout
        do {
            dbQueue = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw LedgerError.from(error, path: path, busyTimeout: timeout)
        }
        let quickCheck = options.quickCheckOnOpen
        do {
            try dbQueue.writeWithoutTransaction { db in
                // Reads only, until every check has passed.
                let tables = try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                    """)
                if quickCheck {
                    let result = try String.fetchAll(db, sql: "PRAGMA quick_check")
                    if result != ["ok"] {
                        throw LedgerError.corrupt(path: path, detail: "quick_check: " + result.prefix(3).joined(separator: "; "))
                    }
                }
                if !tables.isEmpty {
                    guard tables.contains("grdb_migrations") else {
                        throw LedgerError.notADatabase(
                            path: path, detail: "a SQLite database of another program (tables: \(tables.prefix(5).joined(separator: ", ")))")
                    }
                    let unknown = try LedgerSchema.migrator.appliedIdentifiers(db).subtracting(LedgerSchema.known)
                    if !unknown.isEmpty {
                        throw LedgerError.newerSchema(path: path, unknownMigrations: unknown.sorted())
                    }
                }
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                guard mode?.lowercased() == "wal" else {
                    throw LedgerError.openFailed(path: path, reason: "could not switch to WAL mode (got \(mode ?? "nothing"))")
                }
            }
            try Self.migrate(dbQueue)
        } catch {
            throw LedgerError.from(error, path: path, busyTimeout: timeout)
        }
        gate = ReservationGate(databasePath: path)
        LedgerFile.restrictCompanions(path: path)
    }

    /// Runs the migrations, tolerating another process that runs the same ones concurrently.
    ///
    /// GRDB reads the applied list, then runs each migration in its own transaction: a process
    /// that loses that race fails with "table already exists" while the winner may still be
    /// applying later migrations. Retrying (bounded) re-reads the list until everything known is
    /// applied, by either process.
    private static func migrate(_ dbQueue: DatabaseQueue) throws {
        var attempt = 0
        while true {
            do {
                try LedgerSchema.migrator.migrate(dbQueue)
                return
            } catch {
                let applied = try dbQueue.read { try LedgerSchema.migrator.appliedIdentifiers($0) }
                if LedgerSchema.known.isSubset(of: applied) { return }
                attempt += 1
                guard attempt < 50 else { throw error }
                usleep(20_000)
            }
        }
    }

    // MARK: - Sessions

    /// Starts a session and stores it; the id is `s_` and 12 random base32 characters.
    public func startSession(kind: String, label: String?, clientName: String?, now: Date) throws(LedgerError) -> SessionRecord {
        guard !kind.isEmpty else { throw .invalidArgument("session kind is empty") }
        let record = SessionRecord(id: Self.newSessionID(), startedAt: Self.date(Self.millis(now)), kind: kind,
                                   label: label, clientName: clientName, pid: getpid())
        try write { db in
            try db.execute(sql: """
                INSERT INTO session (id, started_at, kind, label, client_name, pid) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [record.id, Self.millis(now), record.kind, record.label, record.clientName, Int64(record.pid)])
        }
        return record
    }

    /// Records the MCP client's name for a session.
    public func setClientName(sessionID: String, name: String) throws(LedgerError) {
        try write { db in
            try db.execute(sql: "UPDATE session SET client_name = ? WHERE id = ?", arguments: [name, sessionID])
            if db.changesCount == 0 { throw LedgerError.unknownSession(sessionID) }
        }
    }

    /// Every session, most recently started first.
    public func sessions() throws(LedgerError) -> [SessionRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM session ORDER BY started_at DESC, rowid DESC").map(Self.session(from:))
        }
    }

    /// The session with this id, or nil.
    public func session(id: String) throws(LedgerError) -> SessionRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM session WHERE id = ?", arguments: [id]).map(Self.session(from:))
        }
    }

    /// The id of the most recently started session other than `excluding`, or nil.
    public func lastSessionID(excluding: String?) throws(LedgerError) -> String? {
        try read { db in
            try String.fetchOne(db, sql: """
                SELECT id FROM session WHERE id IS NOT ? ORDER BY started_at DESC, rowid DESC LIMIT 1
                """, arguments: [excluding])
        }
    }

    // MARK: - Reservation

    /// Reserves a payment against every limit, or refuses; the row is committed before this returns.
    ///
    /// In one `BEGIN IMMEDIATE` transaction: sums the counting rows (every status but `failed`) of
    /// the session, of the rolling 24 hours (`created_at > now - 24 h`) and of the host in the
    /// rolling 24 hours; refuses when `spent + amount > limit` for any set limit, checked in the
    /// order per-request, session, daily, host; else inserts the row as `reserved`.
    ///
    /// - Throws: `.refused` with the first limit that would break (nothing written), or `.ledger`.
    public func reserve(_ p: NewPayment, limits: BudgetLimits, now: Date) throws(LedgerReserveError) -> PaymentRecord {
        let micros: Int64
        do { micros = try Micros.from(atomic: p.amountAtomic, decimals: p.decimals) } catch { throw .ledger(error) }
        guard !p.sessionID.isEmpty else { throw .ledger(.invalidArgument("session id is empty")) }
        guard !p.host.isEmpty else { throw .ledger(.invalidArgument("host is empty")) }
        let host = p.host.lowercased()
        func refusal(_ limit: BudgetRefusal.Limit, _ limitMicros: Int64, spent: Int64) -> BudgetRefusal {
            BudgetRefusal(limit: limit, limitMicros: limitMicros, spentMicros: spent, requestedMicros: micros,
                          host: host, symbol: p.assetSymbol)
        }
        func exceeds(_ spent: Int64, _ limit: Int64) -> Bool {
            let (total, overflow) = spent.addingReportingOverflow(micros)
            return overflow || total > limit
        }
        if let cap = limits.perRequestMicros, micros > cap {
            throw .refused(refusal(.perRequest, cap, spent: 0))
        }
        let hostLimit = limits.perHostDailyMicros.filter { $0.key.lowercased() == host }.map(\.value).min()
        let nowMs = Self.millis(now)
        let windowStart = nowMs - Self.dayMillis
        let record = PaymentRecord(
            id: 0, sessionID: p.sessionID, createdAt: Self.date(nowMs), updatedAt: Self.date(nowMs), method: p.method,
            url: p.url, host: host, network: p.network, asset: p.asset, assetSymbol: p.assetSymbol, decimals: p.decimals,
            payTo: p.payTo, amountAtomic: p.amountAtomic, micros: micros, scheme: p.scheme, x402Version: p.x402Version,
            nonce: p.nonce, validBefore: p.validBefore, status: .reserved, txHash: nil, payer: p.payer, error: nil,
            httpStatus: nil)
        do {
            let id: Int64 = try gate.withGate { try dbQueue.write { db in
                guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM session WHERE id = ?"), arguments: [p.sessionID]) != nil else {
                    throw LedgerError.unknownSession(p.sessionID)
                }
                if let limit = limits.sessionMicros {
                    let spent = try Self.sum(db, "session_id = ?", [p.sessionID])
                    if exceeds(spent, limit) { throw Refused(refusal: refusal(.session, limit, spent: spent)) }
                }
                if let limit = limits.dailyMicros {
                    let spent = try Self.sum(db, "created_at > ?", [windowStart])
                    if exceeds(spent, limit) { throw Refused(refusal: refusal(.daily, limit, spent: spent)) }
                }
                if let limit = hostLimit {
                    let spent = try Self.sum(db, "host = ? AND created_at > ?", [host, windowStart])
                    if exceeds(spent, limit) { throw Refused(refusal: refusal(.hostDaily, limit, spent: spent)) }
                }
                try db.cachedStatement(sql: """
                    INSERT INTO payment (session_id, created_at, updated_at, method, url, host, network, asset,
                        asset_symbol, decimals, pay_to, amount_atomic, micros, scheme, x402_version, nonce,
                        valid_before, status, tx_hash, payer, error, http_status)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'reserved', NULL, ?, NULL, NULL)
                    """).execute(arguments: [
                        p.sessionID, nowMs, nowMs, p.method, p.url, host, p.network, p.asset, p.assetSymbol,
                        p.decimals, p.payTo, p.amountAtomic, micros, p.scheme, p.x402Version, p.nonce,
                        p.validBefore, p.payer,
                    ])
                return db.lastInsertedRowID
            } }
            var stored = record
            stored.id = id
            return stored
        } catch let r as Refused {
            throw .refused(r.refusal)
        } catch {
            throw .ledger(LedgerError.from(error, path: path, busyTimeout: options.busyTimeout))
        }
    }

    /// Carries a refusal out of the GRDB transaction closure (which rolls back on throw).
    private struct Refused: Error { let refusal: BudgetRefusal }

    private static func sum(_ db: Database, _ condition: String, _ arguments: StatementArguments) throws -> Int64 {
        // Prepared once per connection: the same three sums run in every reservation.
        try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT COALESCE(SUM(micros), 0) FROM payment WHERE status <> 'failed' AND \(condition)
            """), arguments: arguments) ?? 0
    }

    // MARK: - Status changes

    /// `reserved → sent`: the signed authorization is about to leave.
    public func markSent(id: Int64, now: Date) throws(LedgerError) {
        try transition(id: id, to: .sent, from: [.reserved], txHash: nil, error: nil, httpStatus: nil, now: now)
    }

    /// `sent | unknown → settled`: the server confirmed the payment.
    public func markSettled(id: Int64, txHash: String?, httpStatus: Int?, now: Date) throws(LedgerError) {
        try transition(id: id, to: .settled, from: [.sent, .unknown], txHash: txHash, error: nil, httpStatus: httpStatus, now: now)
    }

    /// `reserved | sent | unknown → failed`: released, not charged.
    public func markFailed(id: Int64, error: String, httpStatus: Int?, now: Date) throws(LedgerError) {
        try transition(id: id, to: .failed, from: [.reserved, .sent, .unknown], txHash: nil, error: error,
                       httpStatus: httpStatus, now: now)
    }

    /// `sent → unknown`: no answer; the row keeps counting until reconcile resolves it.
    public func markUnknown(id: Int64, error: String, httpStatus: Int?, now: Date) throws(LedgerError) {
        try transition(id: id, to: .unknown, from: [.sent], txHash: nil, error: error, httpStatus: httpStatus, now: now)
    }

    /// Reconcile only: the chain says the authorization was used, so any status but `settled`
    /// (including `failed`) becomes `settled`. The chain is the truth.
    public func markSettledByChain(id: Int64, txHash: String?, now: Date) throws(LedgerError) {
        try transition(id: id, to: .settled, from: [.reserved, .sent, .unknown, .failed], txHash: txHash, error: nil,
                       httpStatus: nil, now: now)
    }

    private func transition(id: Int64, to: PaymentStatus, from allowed: Set<PaymentStatus>, txHash: String?,
                            error: String?, httpStatus: Int?, now: Date) throws(LedgerError) {
        let nowMs = Self.millis(now)
        try writeRecoverable { db in
            guard let raw = try String.fetchOne(db, sql: "SELECT status FROM payment WHERE id = ?", arguments: [id]) else {
                throw LedgerError.paymentNotFound(id: id)
            }
            guard let current = PaymentStatus(rawValue: raw) else {
                throw LedgerError.corrupt(path: self.path, detail: "payment \(id) has unknown status \(raw)")
            }
            guard allowed.contains(current) else { throw LedgerError.badTransition(id: id, from: current, to: to) }
            try db.execute(sql: """
                UPDATE payment SET status = ?, updated_at = ?, tx_hash = COALESCE(?, tx_hash),
                    error = COALESCE(?, error), http_status = COALESCE(?, http_status)
                WHERE id = ?
                """, arguments: [to.rawValue, nowMs, txHash, error, httpStatus, id])
        }
    }

    // MARK: - Queries

    /// Rows not yet resolved (`reserved`, `sent`, `unknown`), oldest first: the reconcile worklist.
    public func unresolved() throws(LedgerError) -> [PaymentRecord] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM payment WHERE status IN ('reserved', 'sent', 'unknown') ORDER BY created_at, id
                """).map(Self.payment(from:))
        }
    }

    /// `failed` rows whose authorization could still be used on chain (`validBefore` later than
    /// `notBefore`, Unix seconds): a seller that answered 402 but settles anyway is caught by
    /// reconcile, which trusts the chain over the seller's word.
    public func failedButStillValid(notBefore: Int64) throws(LedgerError) -> [PaymentRecord] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM payment WHERE status = 'failed' AND valid_before > ? ORDER BY created_at, id
                """, arguments: [notBefore]).map(Self.payment(from:))
        }
    }

    /// One payment by id, or nil.
    public func payment(id: Int64) throws(LedgerError) -> PaymentRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM payment WHERE id = ?", arguments: [id]).map(Self.payment(from:))
        }
    }

    /// What counts against the session, the rolling 24 hours and each host's rolling 24 hours.
    public func usage(sessionID: String, host: String?, now: Date) throws(LedgerError) -> BudgetUsage {
        let windowStart = Self.millis(now) - Self.dayMillis
        return try read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COALESCE(SUM(micros), 0) AS spent,
                       COALESCE(SUM(CASE WHEN status <> 'settled' THEN micros ELSE 0 END), 0) AS pending
                FROM payment WHERE status <> 'failed' AND session_id = ?
                """, arguments: [sessionID])
            let daily = try Self.sum(db, "created_at > ?", [windowStart])
            var hosts: [String: Int64] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT host, SUM(micros) AS spent FROM payment
                WHERE status <> 'failed' AND created_at > ? GROUP BY host
                """, arguments: [windowStart]) {
                hosts[r["host"]] = r["spent"]
            }
            if let host, hosts[host.lowercased()] == nil { hosts[host.lowercased()] = 0 }
            return BudgetUsage(sessionID: sessionID, sessionSpentMicros: row?["spent"] ?? 0, dailySpentMicros: daily,
                               hostDailySpentMicros: hosts, sessionPendingMicros: row?["pending"] ?? 0)
        }
    }

    /// Payments matching the filter, newest first.
    public func payments(_ filter: PaymentFilter = .init()) throws(LedgerError) -> [PaymentRecord] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let since = filter.since { conditions.append("created_at >= ?"); arguments += [Self.millis(since)] }
        if let s = filter.sessionID { conditions.append("session_id = ?"); arguments += [s] }
        if let h = filter.host { conditions.append("host = ?"); arguments += [h.lowercased()] }
        if let st = filter.status { conditions.append("status = ?"); arguments += [st.rawValue] }
        var sql = "SELECT * FROM payment"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY created_at DESC, id DESC"
        if let limit = filter.limit { sql += " LIMIT ?"; arguments += [max(0, limit)] }
        return try read { [sql, arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.payment(from:))
        }
    }

    // MARK: - Plumbing

    private func write<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do { return try dbQueue.write(body) } catch { throw LedgerError.from(error, path: path, busyTimeout: options.busyTimeout) }
    }

    /// A write that need not reach the disk before returning (synchronous=NORMAL for this one
    /// transaction), for status changes after the reservation.
    ///
    /// Only the reservation must be durable before anything is signed: it holds the nonce,
    /// payer and validBefore, so if a later change (sent, settled, failed, unknown) is lost in a
    /// crash the row falls back to an earlier, still-counted status and `reconcile` settles or
    /// releases it from the chain's `authorizationState`. The next durable commit syncs the WAL,
    /// including these frames. This halves the fsyncs on a payment's critical path.
    private func writeRecoverable<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        guard options.synchronousFull else { return try write(body) }
        do {
            return try dbQueue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
                var value: T?
                try db.inTransaction(.immediate) {
                    value = try body(db)
                    return .commit
                }
                return value!
            }
        } catch { throw LedgerError.from(error, path: path, busyTimeout: options.busyTimeout) }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do { return try dbQueue.read(body) } catch { throw LedgerError.from(error, path: path, busyTimeout: options.busyTimeout) }
    }

    /// Unix milliseconds, rounded to nearest so that `date(millis(d))` round-trips.
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    private static func newSessionID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var rng = SystemRandomNumberGenerator()
        return "s_" + String((0..<12).map { _ in alphabet[Int(rng.next() % 32)] })
    }

    private static func session(from row: Row) throws -> SessionRecord {
        SessionRecord(id: row["id"], startedAt: date(row["started_at"]), kind: row["kind"], label: row["label"],
                      clientName: row["client_name"], pid: Int32(truncatingIfNeeded: row["pid"] as Int64))
    }

    private static func payment(from row: Row) throws -> PaymentRecord {
        let raw: String = row["status"]
        guard let status = PaymentStatus(rawValue: raw) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "payment has unknown status \(raw)")
        }
        return PaymentRecord(
            id: row["id"], sessionID: row["session_id"], createdAt: date(row["created_at"]),
            updatedAt: date(row["updated_at"]), method: row["method"], url: row["url"], host: row["host"],
            network: row["network"], asset: row["asset"], assetSymbol: row["asset_symbol"], decimals: row["decimals"],
            payTo: row["pay_to"], amountAtomic: row["amount_atomic"], micros: row["micros"], scheme: row["scheme"],
            x402Version: row["x402_version"], nonce: row["nonce"], validBefore: row["valid_before"], status: status,
            txHash: row["tx_hash"], payer: row["payer"], error: row["error"], httpStatus: row["http_status"])
    }
}
