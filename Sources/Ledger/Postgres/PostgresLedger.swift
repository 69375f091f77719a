import Foundation
import PostgresClient
import PurseCore

/// The ledger in a PostgreSQL database: one budget for every Purse process on every machine that
/// points at it (`db` set to a `postgresql://` URL).
///
/// Budgets cannot be overspent, whatever the interleaving across machines, because `reserve`
/// runs one READ COMMITTED transaction that first locks the single `budget_lock` row
/// (`SELECT … FOR UPDATE`), then reads the usage sums (a statement that starts after the lock is
/// granted sees every reservation committed before), asks the pure `BudgetCheck`, inserts the
/// row and commits; the lock is released only once the commit is durable. No advisory locks and
/// no server-side code, so that PostgreSQL-compatible engines can run it too.
///
/// Each instance owns one connection (callers take turns). A connection found broken is replaced
/// on the next call; a call whose connection broke before anything could have committed is run
/// once more on a fresh connection. Every failure is a `LedgerError` with a stable code
/// (`ledger.unavailable`, `ledger.connection_lost`, `ledger.commit_unknown`, `ledger.timeout`).
/// The password is held in memory only and never appears in `location` or any message.
public final class PostgresLedger: PaymentLedger, @unchecked Sendable {
    /// Where it connects, as given (no password in it): what `location` shows.
    public let config: PostgresConfig
    /// `config` with the session defaults added (`init`), what the connections use.
    private let connectionConfig: PostgresConfig
    private let password: String?
    private let lock = NSLock()
    private var connection: PostgresConnection? // Guarded by `lock`.

    /// The URL without anything secret.
    public var location: String { config.description }

    /// True when `location` names a PostgreSQL database rather than a file.
    public static func isURL(_ location: String) -> Bool {
        let lower = location.lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// Connects to the database at `url` and brings its schema up to date.
    ///
    /// Without `statement_timeout` or `idle_in_transaction_session_timeout` in the URL's
    /// `options`, the session uses 30 s and 15 s: a statement never blocks a payment forever, and
    /// a process that stalls while holding the budget lock loses its session (and the lock)
    /// instead of holding every other machine's reservations.
    ///
    /// - Parameter password: read by the caller from the environment variable the configuration
    ///   names (`dbPasswordEnv`); nil sends none.
    /// - Throws: `ledger.open_failed` (a bad URL), `ledger.unavailable` (cannot connect),
    ///   `ledger.newer_schema`, `ledger.timeout`, `ledger.database_error`.
    public init(url: String, password: String?) throws(LedgerError) {
        var parsed: PostgresConfig
        do { parsed = try PostgresConfig(url: url) } catch {
            throw .openFailed(path: "the PostgreSQL URL", reason: error.message)
        }
        config = parsed
        var extra: [String] = []
        let given = parsed.options ?? ""
        if !given.contains("statement_timeout") { extra.append("-c statement_timeout=30000") }
        if !given.contains("idle_in_transaction_session_timeout") { extra.append("-c idle_in_transaction_session_timeout=15000") }
        // The reservation is a prepared statement run thousands of times: plan it once, not per
        // execution (only named prepared statements are affected).
        if !given.contains("plan_cache_mode") { extra.append("-c plan_cache_mode=force_generic_plan") }
        // The reservation's implicit transaction relies on READ COMMITTED (each statement sees
        // what committed before it started, so its sums follow the lock), whatever the server's
        // default; explicit transactions name their level anyway.
        extra.append("-c default_transaction_isolation=read\\ committed")
        if !extra.isEmpty { parsed.options = ([given] + extra).filter { !$0.isEmpty }.joined(separator: " ") }
        connectionConfig = parsed
        self.password = password
        try migrate()
    }

    /// Closes the connection.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        connection?.close()
        connection = nil
    }

    // MARK: - Plumbing shared by the extensions

    /// Runs `body` on the connection (connecting first when there is none or it broke). When the
    /// connection breaks before anything could have committed (`pg.connection_lost`: a server
    /// restart, a dropped idle connection), `body` runs once more on a fresh connection; it must
    /// therefore be a transaction or a read.
    @discardableResult
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws(LedgerError) -> T {
        lock.lock()
        defer { lock.unlock() }
        var attempt = 0
        while true {
            attempt += 1
            let conn: PostgresConnection
            if let c = connection, !c.isGone {
                conn = c
            } else {
                connection?.close()
                connection = nil
                do { conn = try PostgresConnection.open(connectionConfig, password: password) } catch {
                    throw .unavailable(location: location, detail: "\(error.code): \(shown(error.message))")
                }
                connection = conn
            }
            do {
                return try body(conn)
            } catch let e as PostgresError {
                if conn.isGone || e.kind == .connectionLost || e.kind == .commitUnknown {
                    conn.close()
                    connection = nil
                }
                if e.kind == .connectionLost, attempt < 2 { continue }
                throw map(e)
            } catch let e as LedgerError {
                throw e
            } catch {
                throw .server(location: location, sqlState: nil, detail: String(describing: error))
            }
        }
    }

    /// Runs `body` in a READ COMMITTED transaction (see `withConnection` for reconnection);
    /// `lockBudget` takes the budget row lock in the same round trip as BEGIN.
    @discardableResult
    func transaction<T>(lockBudget: Bool = false, _ body: (PostgresTransaction) throws -> T) throws(LedgerError) -> T {
        let options = TransactionOptions(prelude: lockBudget ? Self.lockSQL : nil)
        return try withConnection { conn in try conn.transaction(options, body) }
    }

    /// Runs one read statement.
    func read(_ sql: String, _ params: [String?] = []) throws(LedgerError) -> PostgresRows {
        try withConnection { conn in try conn.query(sql, params) }
    }

    /// The ledger error for a client error.
    func map(_ e: PostgresError) -> LedgerError {
        let detail = "\(e.code): \(shown(e.message))"
        switch e.kind {
        case .badURL: return .openFailed(path: location, reason: e.message)
        case .connectFailed, .authFailed, .unknownDatabase, .tlsFailed: return .unavailable(location: location, detail: detail)
        case .connectionLost: return e.mayHaveCommitted ? .commitUnknown(location: location, detail: detail) : .connectionLost(location: location, detail: detail)
        case .commitUnknown: return .commitUnknown(location: location, detail: detail)
        case .timeout: return .timeout(location: location, detail: detail)
        case .serializationFailure, .deadlock, .uniqueViolation, .queryFailed, .invalidState:
            return .server(location: location, sqlState: e.sqlState, detail: shown(e.message))
        }
    }

    /// A client message with the connection's URL shown as the user gave it (without the
    /// session defaults `init` added).
    func shown(_ message: String) -> String {
        message.replacingOccurrences(of: connectionConfig.description, with: config.description)
    }

    /// Decodes the payments of an answer with one decoder.
    func payments(of rows: PostgresRows) throws(LedgerError) -> [PaymentRecord] {
        var decoder = PaymentRowDecoder(location: location)
        var out: [PaymentRecord] = []
        out.reserveCapacity(rows.count)
        for row in rows.stored(location: location) { out.append(try decoder.record(row)) }
        return out
    }

    static func text(_ v: Int64) -> String { String(v) }
    static func text(_ v: Int) -> String { String(v) }

    // MARK: - Migrations

    /// Applies the missing migrations, safely when many processes start at once: the
    /// bookkeeping table is created if missing (a concurrent creator's duplicate is retried,
    /// bounded), then one transaction locks it (`LOCK TABLE … EXCLUSIVE`, released at commit)
    /// and applies what is still missing, so exactly one process runs each migration and the
    /// others find it done. A ledger with migrations this build does not know is refused.
    private func migrate() throws(LedgerError) {
        var attempt = 0
        while true {
            attempt += 1
            do {
                _ = try withConnection { conn in try conn.execute(PostgresSchema.bookkeeping) }
                break
            } catch let e {
                // Two first-time creators can collide on the catalog (unique violation); the
                // second attempt finds the table.
                if case .server = e, attempt < 5 { continue }
                throw e
            }
        }
        let location = self.location
        try transaction { tx in
            try tx.execute("LOCK TABLE purse_migration IN EXCLUSIVE MODE")
            let applied = Set(try tx.query("SELECT id FROM purse_migration").rows.compactMap { $0[0] })
            let unknown = applied.subtracting(PostgresSchema.known)
            if !unknown.isEmpty { throw LedgerError.newerSchema(path: location, unknownMigrations: unknown.sorted()) }
            for m in PostgresSchema.migrations where !applied.contains(m.id) {
                try tx.execute(m.sql)
                try tx.query("INSERT INTO purse_migration (id, applied_at) VALUES ($1, $2)",
                             [m.id, Self.text(LedgerTime.millis(Date()))])
            }
        }
    }
}
