import CLibPQ
import PurseCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One connection to a PostgreSQL server, over libpq. Synchronous.
///
/// **Every call blocks the calling thread** until the server answers. Each wait is bounded:
/// connecting by `connect_timeout` (default 10 s, enforced here for the whole set-up), statements by
/// the server's `statement_timeout`/`lock_timeout` when set (`options=-c statement_timeout=…`),
/// and a dead server or network by TCP keepalives and `tcp_user_timeout` (about a minute).
/// Async code must not call it on Swift's cooperative thread pool (two threads on a 2-core
/// machine: one blocked call stalls half of every task); the blocking calls are marked
/// `noasync`, so the compiler refuses them in async functions. Hop to a dedicated thread or
/// serial `DispatchQueue` and resume a continuation from there, for example:
///
///     let rows = try await withCheckedThrowingContinuation { cont in
///         ledgerQueue.async { cont.resume(with: Result { try conn.query(sql, params) }) }
///     }
///
/// The connection is `Sendable`: a recursive lock serialises callers, and `transaction` holds
/// it for the whole transaction, so another thread's statements never land inside it.
///
/// Statements go through the extended protocol (`PQexecParams`) with text parameters, so a
/// parameter can never be read as SQL, and a `query` holds exactly one statement. `execute` runs
/// a parameterless script (several statements) through the simple protocol.
///
/// Errors are `PostgresError` with stable codes; none of their messages contains the password.
public final class PostgresConnection: @unchecked Sendable {
    /// What this connection was opened with (it holds no password).
    public let config: PostgresConfig
    private var handle: OpaquePointer? // Guarded by `lock`.
    private let lock = RecursiveLock()
    private let secrets: [String]
    private var prepared: Set<String> = [] // Guarded by `lock`: `prepareOnce`'s names.

    private init(handle: OpaquePointer, config: PostgresConfig, secrets: [String]) {
        self.handle = handle
        self.config = config
        self.secrets = secrets
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    // MARK: - Opening

    /// Parses `url` (see `PostgresConfig`) and connects.
    ///
    /// - Parameter password: the password, read by the caller from the environment variable its
    ///   configuration names; nil to send none (trust, peer or certificate authentication, or
    ///   libpq's PGPASSWORD / ~/.pgpass). It is never logged nor put in any error message.
    /// - Throws: `pg.bad_url`, `pg.connect_failed`, `pg.auth_failed`, `pg.unknown_database`,
    ///   `pg.tls_failed`.
    @available(*, noasync, message: "blocks the calling thread: call it from a dedicated thread or DispatchQueue, not from async code")
    public static func open(url: String, password: String?) throws(PostgresError) -> PostgresConnection {
        try open(PostgresConfig(url: url), password: password)
    }

    /// Connects with `config`; see `open(url:password:)`.
    @available(*, noasync, message: "blocks the calling thread: call it from a dedicated thread or DispatchQueue, not from async code")
    public static func open(_ config: PostgresConfig, password: String?) throws(PostgresError) -> PostgresConnection {
        var secrets: [String] = []
        if let password, !password.isEmpty {
            if password.utf8.contains(0) { throw PostgresError(.badURL, "the password contains a NUL byte") }
            secrets = [password]
            let encoded = PostgresConfig.encode(password)
            if encoded != password { secrets.append(encoded) }
        }
        // libpq is loaded on the first connection (CLibPQ/LazyPQ.c).
        guard purse_pq_load() == 1 else {
            throw PostgresError(.connectFailed, "cannot connect to \(config): " + String(cString: purse_pq_load_error()))
        }
        let params = config.libpqParameters(password: password)
        let keys = params.map { strdup($0.0) }
        let values = params.map { strdup($0.1) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keyPointers: [UnsafePointer<CChar>?] = keys.map { $0.map { UnsafePointer($0) } } + [nil]
        let valuePointers: [UnsafePointer<CChar>?] = values.map { $0.map { UnsafePointer($0) } } + [nil]
        guard let conn = PQconnectStartParams(keyPointers, valuePointers, 0) else {
            throw PostgresError(.connectFailed, "cannot connect to \(config): out of memory")
        }
        var owned = true
        defer { if owned { PQfinish(conn) } }
        // Verbose errors put the server's SQLSTATE into the connection error message (libpq has no
        // other way to give it for a failed start-up), so that failures are classified without
        // relying on the (possibly translated) text.
        PQsetErrorVerbosity(conn, PQERRORS_VERBOSE)
        if PQstatus(conn) == CONNECTION_BAD {
            throw connectError(conn, config: config, secrets: secrets)
        }
        let deadline = monotonicSeconds() + Double(config.connectTimeoutSeconds)
        var state = PGRES_POLLING_WRITING
        while state != PGRES_POLLING_OK {
            if state == PGRES_POLLING_FAILED {
                throw connectError(conn, config: config, secrets: secrets)
            }
            let remaining = deadline - monotonicSeconds()
            guard remaining > 0 else {
                throw PostgresError(.connectFailed, "cannot connect to \(config): no answer within \(config.connectTimeoutSeconds) s (connect_timeout)")
            }
            var pfd = pollfd(fd: PQsocket(conn), events: Int16(state == PGRES_POLLING_READING ? POLLIN : POLLOUT), revents: 0)
            let ready = poll(&pfd, 1, Int32(min(remaining * 1000 + 1, 3_600_000)))
            if ready < 0 {
                if errno == EINTR { continue }
                throw PostgresError(.connectFailed, "cannot connect to \(config): poll failed (errno \(errno))")
            }
            if ready == 0 { continue } // The deadline check above ends the loop.
            state = PQconnectPoll(conn)
        }
        PQsetErrorVerbosity(conn, PQERRORS_DEFAULT)
        purse_pq_silence_notices(conn)
        owned = false
        return PostgresConnection(handle: conn, config: config, secrets: secrets)
    }

    private static func connectError(_ conn: OpaquePointer, config: PostgresConfig, secrets: [String]) -> PostgresError {
        let raw = String(cString: PQerrorMessage(conn))
        let state = lastSQLState(in: raw)
        let text = "cannot connect to \(config): " + clean(raw, secrets: secrets)
        if PQconnectionNeedsPassword(conn) == 1 {
            return PostgresError(.authFailed, "cannot connect to \(config): the server asks for a password and none was given", sqlState: state)
        }
        switch state {
        case "28P01", "28000": return PostgresError(.authFailed, text, sqlState: state)
        case "3D000": return PostgresError(.unknownDatabase, text, sqlState: state)
        default: break
        }
        if state == nil, let mode = config.sslMode, [.require, .verifyCA, .verifyFull].contains(mode),
           raw.contains("SSL") || raw.contains("certificate") {
            return PostgresError(.tlsFailed, text)
        }
        return PostgresError(.connectFailed, text, sqlState: state)
    }

    // MARK: - State

    /// True when the connection is closed or broken (libpq saw it fail). Does no I/O: a server
    /// that went away since the last call is only noticed by the next statement (or `ping`).
    public var isGone: Bool {
        lock.withLock {
            guard let handle else { return true }
            return PQstatus(handle) == CONNECTION_BAD
        }
    }

    /// Runs `SELECT 1`: throws `pg.connection_lost` if the server is no longer there.
    @available(*, noasync, message: "blocks the calling thread: call it from a dedicated thread or DispatchQueue, not from async code")
    public func ping() throws(PostgresError) {
        _ = try query("SELECT 1")
    }

    /// The server process serving this connection (for `pg_terminate_backend`), nil when gone.
    public var backendPID: Int32? {
        lock.withLock { handle.map { PQbackendPID($0) } }
    }

    /// The server version as a number (150018 for 15.18), nil when gone.
    public var serverVersion: Int? {
        lock.withLock { handle.map { Int(PQserverVersion($0)) } }
    }

    /// True when the connection is encrypted with TLS.
    public var usesTLS: Bool {
        lock.withLock { handle.map { PQsslInUse($0) == 1 } ?? false }
    }

    /// True while a transaction block is open (between BEGIN and COMMIT/ROLLBACK).
    public var inTransaction: Bool {
        lock.withLock {
            guard let handle else { return false }
            let s = PQtransactionStatus(handle)
            return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE
        }
    }

    /// Closes the connection (an open transaction is rolled back by the server). Idempotent.
    public func close() {
        lock.withLock {
            if let handle { PQfinish(handle) }
            handle = nil
        }
    }

    // MARK: - Statements

    /// Runs one statement with text parameters (`$1`, `$2`, ...; nil is NULL) and returns its rows.
    ///
    /// Outside a transaction the statement commits on its own (autocommit); if the connection
    /// breaks before the answer, the error's `mayHaveCommitted` is true.
    ///
    /// - Throws: `pg.query_failed`, `pg.timeout`, `pg.serialization_failure`, `pg.deadlock`,
    ///   `pg.unique_violation`, `pg.connection_lost`, `pg.invalid_state`.
    @available(*, noasync, message: "blocks the calling thread: call it from a dedicated thread or DispatchQueue, not from async code")
    @discardableResult
    public func query(_ sql: String, _ params: [String?] = []) throws(PostgresError) -> PostgresRows {
        try lock.withLock { () throws(PostgresError) -> PostgresRows in try run(sql, params) }
    }

    /// Runs a script of one or more statements without parameters (simple protocol), such as a
    /// schema migration. Returns the rows of the last statement.
    @available(*, noasync, message: "blocks the calling thread: call it from a dedicated thread or DispatchQueue, not from async code")
    @discardableResult
    public func execute(_ script: String) throws(PostgresError) -> PostgresRows {
        try lock.withLock { () throws(PostgresError) -> PostgresRows in try run(script, nil) }
    }

    /// The live handle, or `pg.invalid_state` / `pg.connection_lost`. Caller holds the lock.
    private func liveHandle() throws(PostgresError) -> OpaquePointer {
        guard let handle else { throw PostgresError(.invalidState, "the PostgreSQL connection is closed") }
        if PQstatus(handle) == CONNECTION_BAD {
            throw PostgresError(.connectionLost, "the connection to \(config) was lost earlier; open a new one")
        }
        return handle
    }

    /// Runs a statement (params != nil: extended protocol) or a script (nil). Caller holds the lock.
    func run(_ sql: String, _ params: [String?]?) throws(PostgresError) -> PostgresRows {
        let conn = try liveHandle()
        if let refusal = Self.nulByte(in: sql, params ?? []) { throw refusal }
        let autocommit = PQtransactionStatus(conn) == PQTRANS_IDLE
        let result: OpaquePointer?
        if let params {
            result = Self.withCStrings(params) { PQexecParams(conn, sql, Int32(params.count), nil, $0, nil, nil, 0) }
        } else {
            result = PQexec(conn, sql)
        }
        guard let result else {
            if PQstatus(conn) == CONNECTION_BAD { throw lost(conn, nil, autocommit: autocommit) }
            throw PostgresError(.queryFailed, "no result from libpq: " + Self.clean(String(cString: PQerrorMessage(conn)), secrets: secrets))
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return rows(of: result)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            // The connection is now in COPY mode, which this client does not speak: drop it.
            PQfinish(conn)
            handle = nil
            throw PostgresError(.invalidState, "COPY is not supported by this client; the connection was closed")
        default:
            if PQstatus(conn) == CONNECTION_BAD { throw lost(conn, result, autocommit: autocommit) }
            throw serverError(result)
        }
    }

    private func rows(of result: OpaquePointer) -> PostgresRows {
        let n = PQntuples(result), f = PQnfields(result)
        var columns: [String] = []
        columns.reserveCapacity(Int(f))
        for j in 0..<f { columns.append(String(cString: PQfname(result, j))) }
        var rows: [[String?]] = []
        rows.reserveCapacity(Int(n))
        for i in 0..<n {
            var row: [String?] = []
            row.reserveCapacity(Int(f))
            for j in 0..<f {
                row.append(PQgetisnull(result, i, j) == 1 ? nil : String(cString: PQgetvalue(result, i, j)))
            }
            rows.append(row)
        }
        let tag = String(cString: PQcmdStatus(result))
        let affected = String(cString: PQcmdTuples(result))
        return PostgresRows(columns: columns, rows: rows, commandTag: tag, affectedRows: Int(affected))
    }

    private func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        PQresultErrorField(result, code).map { String(cString: $0) }
    }

    /// The error for a failed statement on a live connection.
    private func serverError(_ result: OpaquePointer) -> PostgresError {
        let state = field(result, purse_pq_diag_sqlstate())
        let primary = field(result, purse_pq_diag_message_primary()) ?? String(cString: PQresultErrorMessage(result))
        let detail = field(result, purse_pq_diag_message_detail())
        let kind = PostgresError.kind(forQuerySQLState: state)
        var text = Self.clean(primary, secrets: secrets)
        if let detail { text += " — " + Self.clean(detail, secrets: secrets) }
        if kind == .timeout { text = "the server cancelled the statement (statement_timeout or lock_timeout): " + text }
        if let state { text += " (SQLSTATE \(state))" }
        return PostgresError(kind, text, sqlState: state, constraint: field(result, purse_pq_diag_constraint_name()),
                             mayHaveCommitted: false)
    }

    /// The error for a connection that broke during a statement.
    private func lost(_ conn: OpaquePointer, _ result: OpaquePointer?, autocommit: Bool) -> PostgresError {
        let state = result.flatMap { field($0, purse_pq_diag_sqlstate()) }
        let raw = result.map { String(cString: PQresultErrorMessage($0)) } ?? String(cString: PQerrorMessage(conn))
        return PostgresError(.connectionLost, "the connection to \(config) was lost: " + Self.clean(raw, secrets: secrets),
                             sqlState: state, mayHaveCommitted: autocommit)
    }

    // MARK: - Transactions

    /// Runs `body` in a transaction (BEGIN … COMMIT) and returns its value; retries the whole
    /// transaction, up to `options.maxAttempts` times with a short randomised backoff, when it
    /// fails with a serialization failure (40001) or a deadlock (40P01). `body` must therefore be
    /// safe to run again: only database work, or effects that are re-done harmlessly.
    ///
    /// Outcomes:
    /// - returns: COMMIT succeeded.
    /// - `body` throws (any error): the transaction is rolled back and the error rethrown.
    /// - `pg.connection_lost` (mayHaveCommitted false): the connection broke before COMMIT was
    ///   sent; nothing was committed (the server rolls back a disconnected transaction).
    /// - `pg.commit_unknown` (mayHaveCommitted true): COMMIT was sent and no answer came; the
    ///   caller must check (for example by looking for a row it wrote) whether it committed.
    /// - `pg.query_failed` from COMMIT: the transaction had already failed (an error inside
    ///   `body` was caught and ignored) and COMMIT rolled it back; or a deferred constraint failed.
    ///
    /// The connection's lock is held throughout: other threads wait. Statements inside `body`
    /// may use `tx.query` or this connection's own `query` (same thread). Nesting is refused
    /// (`pg.invalid_state`).
    @available(*, noasync, message: "blocks the calling thread: call it from a dedicated thread or DispatchQueue, not from async code")
    public func transaction<T>(_ options: TransactionOptions = .init(), _ body: (PostgresTransaction) throws -> T) throws -> T {
        try lock.withLock { () throws -> T in
            let conn = try liveHandle()
            guard PQtransactionStatus(conn) == PQTRANS_IDLE else {
                throw PostgresError(.invalidState, "a transaction is already open on this connection")
            }
            var attempt = 1
            while true {
                do {
                    let begun = try run(options.beginStatement + (options.prelude.map { "; " + $0 } ?? ""), nil)
                    let tx = PostgresTransaction(connection: self, attempt: attempt, preludeRows: options.prelude == nil ? nil : begun)
                    let value = try body(tx)
                    try commit(prefix: tx.finish.script)
                    return value
                } catch let error as PostgresError where error.isRetryable && attempt < max(1, options.maxAttempts) {
                    rollbackQuietly()
                    Self.backoff(attempt: attempt, options: options)
                    attempt += 1
                } catch {
                    rollbackQuietly()
                    throw error
                }
            }
        }
    }

    /// Sends COMMIT and classifies the answer. Caller holds the lock.
    private func commit(prefix: String?) throws(PostgresError) {
        let conn = try liveHandle()
        if let prefix, let refusal = Self.nulByte(in: prefix, []) { throw refusal }
        let result = PQexec(conn, (prefix.map { $0 + "; " } ?? "") + "COMMIT")
        defer { if let result { PQclear(result) } }
        if PQstatus(conn) == CONNECTION_BAD || result == nil {
            let raw = result.map { String(cString: PQresultErrorMessage($0)) } ?? String(cString: PQerrorMessage(conn))
            throw PostgresError(.commitUnknown,
                                "COMMIT was sent to \(config) but the connection was lost before the answer; the transaction may or may not have committed: "
                                    + Self.clean(raw, secrets: secrets), mayHaveCommitted: true)
        }
        guard let result else { return } // Unreachable: handled above.
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK else { throw serverError(result) }
        let tag = String(cString: PQcmdStatus(result))
        if tag != "COMMIT" {
            throw PostgresError(.queryFailed, "the transaction had already failed, so COMMIT rolled it back (\(tag))")
        }
    }

    /// One statement of a `pipeline`: SQL text, or a statement prepared on this connection
    /// (`prepareOnce`), with text parameters (sent apart from the SQL, never quoted into it).
    public enum PipelineStatement: Sendable, Equatable {
        case sql(String, [String?] = [])
        case prepared(String, [String?] = [])

        /// The SQL, or the prepared statement's name.
        var text: String {
            switch self {
            case let .sql(text, _), let .prepared(text, _): text
            }
        }

        var params: [String?] {
            switch self {
            case let .sql(_, params), let .prepared(_, params): params
            }
        }
    }

    /// Runs a transaction and a follow-up, sent together in **one round trip** (libpq's pipeline
    /// mode), and returns each statement's answer in order (the transaction's, then the
    /// follow-up's). For work that must hold a lock for as short a time as possible: the
    /// transaction's statements run back to back on the server, with no client round trip in
    /// between, as one implicit transaction committed at its Sync; the follow-up runs as a second
    /// one, committed at a second Sync, and this call returns only after that commit (for a
    /// synchronous commit: once it is on disk). Neither part may contain BEGIN or COMMIT.
    ///
    /// Outcomes:
    /// - returns: every statement succeeded and both parts committed.
    /// - a server error in the transaction: the rest of it was not run and nothing of it
    ///   committed; the error is thrown.
    /// - `pg.connection_lost` (mayHaveCommitted false): the pipeline could not be sent, or the
    ///   server reported a statement of the transaction failed and then closed the connection
    ///   (a restart): nothing committed.
    /// - `pg.commit_unknown`: the connection broke before the transaction's commit was
    ///   confirmed, or the follow-up failed or went unanswered: the transaction may have
    ///   committed (and, if the follow-up confirms durability, may not be on disk).
    @available(*, noasync, message: "blocks the calling thread: call it from a dedicated thread or DispatchQueue, not from async code")
    public func pipeline(transaction: [PipelineStatement], then followUp: [PipelineStatement] = []) throws(PostgresError) -> [PostgresRows] {
        try lock.withLock { () throws(PostgresError) -> [PostgresRows] in
            let conn = try liveHandle()
            guard PQtransactionStatus(conn) == PQTRANS_IDLE else {
                throw PostgresError(.invalidState, "a transaction is already open on this connection")
            }
            guard !transaction.isEmpty else { throw PostgresError(.invalidState, "the pipeline has no transaction") }
            let all = transaction + followUp
            for statement in all {
                if let refusal = Self.nulByte(in: statement.text, statement.params) { throw refusal }
            }
            guard PQenterPipelineMode(conn) == 1 else {
                throw PostgresError(.invalidState, "libpq refused pipeline mode: " + Self.clean(String(cString: PQerrorMessage(conn)), secrets: secrets))
            }
            // Left on every path (a connection finished below is gone, with its mode).
            defer { if handle != nil { _ = PQexitPipelineMode(conn) } }
            func abandon() -> PostgresError {
                let message = "the pipeline could not be sent to \(config): " + Self.clean(String(cString: PQerrorMessage(conn)), secrets: secrets)
                // Nothing is flushed before the first Sync: drop the connection so nothing can run.
                PQfinish(conn)
                handle = nil
                return PostgresError(.connectionLost, message, mayHaveCommitted: false)
            }
            for part in [transaction, followUp] where !part.isEmpty {
                for statement in part {
                    let (text, params) = (statement.text, statement.params)
                    let sent = Self.withCStrings(params) { values in
                        switch statement {
                        case .sql: PQsendQueryParams(conn, text, Int32(params.count), nil, values, nil, nil, 0)
                        case .prepared: PQsendQueryPrepared(conn, text, Int32(params.count), values, nil, nil, 0)
                        }
                    }
                    guard sent == 1 else { throw abandon() }
                }
                guard PQpipelineSync(conn) == 1 else { throw abandon() }
            }
            // Per statement one result then NULL; per part one Sync result. Bounded.
            var answers: [PostgresRows] = []
            var failure: (index: Int, error: PostgresError)?
            var syncs = 0
            let expectedSyncs = followUp.isEmpty ? 1 : 2
            var index = 0
            reading: for _ in 0..<(all.count + expectedSyncs) {
                for _ in 0..<4 {
                    guard let result = PQgetResult(conn) else { break }
                    defer { PQclear(result) }
                    switch PQresultStatus(result) {
                    case PGRES_PIPELINE_SYNC:
                        syncs += 1
                        if syncs == expectedSyncs { break reading }
                        continue reading
                    case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                        answers.append(rows(of: result))
                    case PGRES_PIPELINE_ABORTED:
                        break
                    default:
                        if failure == nil {
                            failure = (index, PQstatus(conn) == CONNECTION_BAD ? lost(conn, result, autocommit: false) : serverError(result))
                        }
                    }
                }
                index += 1
                if PQstatus(conn) == CONNECTION_BAD { break }
            }
            let broken = PQstatus(conn) == CONNECTION_BAD
            if broken {
                PQfinish(conn)
                handle = nil
            }
            if let failure, failure.index < transaction.count {
                throw broken ? PostgresError(.connectionLost, failure.error.message, sqlState: failure.error.sqlState, mayHaveCommitted: false)
                             : failure.error
            }
            if failure != nil || broken || syncs < expectedSyncs || answers.count < all.count {
                let detail = failure?.error.message ?? (broken ? "the connection was lost" : "not every statement answered")
                throw PostgresError(.commitUnknown,
                                    "the pipeline's transaction was sent to \(config) but its commit or durability is not confirmed: " + detail,
                                    mayHaveCommitted: true)
            }
            return answers
        }
    }

    /// The refusal for SQL or a parameter holding a NUL byte, which PostgreSQL text cannot hold
    /// (libpq would cut the string there); nil when there is none.
    private static func nulByte(in sql: String, _ params: [String?]) -> PostgresError? {
        if sql.utf8.contains(0) { return PostgresError(.queryFailed, "the SQL text contains a NUL byte") }
        if let i = params.firstIndex(where: { $0?.utf8.contains(0) ?? false }) {
            return PostgresError(.queryFailed, "parameter $\(i + 1) contains a NUL byte, which PostgreSQL text cannot hold")
        }
        return nil
    }

    /// Calls `body` with C strings for `params` (NULL for nil), valid for the call only.
    private static func withCStrings<R>(_ params: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = params.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }

    /// Prepares `sql` (parameters `$1`… of `parameterTypes`) as the named statement on this connection, once: later calls with the
    /// same name do nothing (the server keeps prepared statements for the session). For
    /// statements run in `script`s as `EXECUTE name(…)`, so that the server plans them once.
    @available(*, noasync, message: "blocks the calling thread: call it from a dedicated thread or DispatchQueue, not from async code")
    public func prepareOnce(_ name: String, parameterTypes: [String], _ sql: String) throws(PostgresError) {
        try lock.withLock { () throws(PostgresError) in
            if prepared.contains(name) { return }
            let types = parameterTypes.isEmpty ? "" : " (" + parameterTypes.joined(separator: ", ") + ")"
            _ = try run("PREPARE \(name)\(types) AS \(sql)", nil)
            prepared.insert(name)
        }
    }

    /// `text` as a quoted SQL string literal (libpq's `PQescapeLiteral`, which knows the
    /// connection's encoding and `standard_conforming_strings`), for the parameterless scripts
    /// that save round trips (`TransactionOptions.prelude`, `PostgresTransaction.commit(after:)`).
    public func literal(_ text: String) throws(PostgresError) -> String {
        try lock.withLock { () throws(PostgresError) -> String in
            let conn = try liveHandle()
            if text.utf8.contains(0) { throw PostgresError(.queryFailed, "a literal contains a NUL byte") }
            let count = text.utf8.count
            guard let escaped = PQescapeLiteral(conn, text, count) else {
                throw PostgresError(.queryFailed, "cannot quote a literal: " + Self.clean(String(cString: PQerrorMessage(conn)), secrets: secrets))
            }
            defer { PQfreemem(escaped) }
            return String(cString: escaped)
        }
    }

    /// Rolls back an open transaction, ignoring errors (a broken connection has none to roll back).
    private func rollbackQuietly() {
        guard let handle, PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) != PQTRANS_IDLE else { return }
        if let result = PQexec(handle, "ROLLBACK") { PQclear(result) }
    }

    private static func backoff(attempt: Int, options: TransactionOptions) {
        let cap = min(options.maxBackoffMillis, options.baseBackoffMillis << min(attempt - 1, 20))
        guard cap > 0 else { return }
        usleep(UInt32(Int.random(in: 0...cap) * 1000))
    }

    // MARK: - Messages

    /// One line, without libpq's LOCATION lines, at most 600 characters, every secret replaced by `***`.
    static func clean(_ raw: String, secrets: [String]) -> String {
        var lines: [String] = []
        for line in raw.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let t = String(line).trimmed(" \t")
            if t.isEmpty || t.hasPrefix("LOCATION:") { continue }
            lines.append(t)
        }
        var text = lines.joined(separator: "; ")
        for secret in secrets.sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            text = text.replacingAll(secret, with: "***")
        }
        if text.count > 600 { text = String(text.prefix(600)) + "…" }
        return text
    }

    /// The last SQLSTATE in a verbose libpq message ("FATAL:  28P01: password authentication failed…").
    static func lastSQLState(in message: String) -> String? {
        let b = Array(message.utf8)
        var found: String?
        var i = 0
        while i + 8 < b.count {
            if b[i] == UInt8(ascii: ":"), b[i + 1] == UInt8(ascii: " "), b[i + 2] == UInt8(ascii: " "), b[i + 8] == UInt8(ascii: ":") {
                let code = b[(i + 3)..<(i + 8)]
                if code.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) }) {
                    found = String(decoding: code, as: UTF8.self)
                }
            }
            i += 1
        }
        return found
    }
}

/// How `PostgresConnection.transaction` runs and retries.
public struct TransactionOptions: Sendable, Equatable {
    /// SQL isolation levels.
    public enum Isolation: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    /// The isolation level (PostgreSQL's default is READ COMMITTED).
    public var isolation: Isolation
    /// A read-only transaction.
    public var readOnly: Bool
    /// Total attempts, the first included, for serialization failures and deadlocks (≥ 1).
    public var maxAttempts: Int
    /// Backoff before retry n is random in 0...min(max, base × 2^(n-1)) milliseconds.
    public var baseBackoffMillis: Int
    public var maxBackoffMillis: Int
    /// Parameterless statements sent together with BEGIN, in the same round trip (such as the
    /// `SELECT … FOR UPDATE` that takes a lock every attempt needs first, then a read that must
    /// see everything committed before the lock was granted: in READ COMMITTED each statement of
    /// the script takes its own snapshot). The last one's rows are `PostgresTransaction.preludeRows`.
    public var prelude: String?

    public init(isolation: Isolation = .readCommitted, readOnly: Bool = false, maxAttempts: Int = 5,
                baseBackoffMillis: Int = 5, maxBackoffMillis: Int = 200, prelude: String? = nil) {
        self.prelude = prelude
        self.isolation = isolation
        self.readOnly = readOnly
        self.maxAttempts = maxAttempts
        self.baseBackoffMillis = baseBackoffMillis
        self.maxBackoffMillis = maxBackoffMillis
    }

    var beginStatement: String { "BEGIN ISOLATION LEVEL \(isolation.rawValue)" + (readOnly ? " READ ONLY" : "") }
}

/// The transaction in progress, handed to the body of `PostgresConnection.transaction`.
public struct PostgresTransaction {
    /// The connection the transaction runs on.
    public let connection: PostgresConnection
    /// Which attempt this is: 1 the first time, 2 after one retry, ...
    public let attempt: Int
    /// What `commit(after:)` asked to send with COMMIT.
    final class Finish {
        var script: String?
    }
    let finish = Finish()
    /// The answer to the last statement of `TransactionOptions.prelude`, when there was one.
    public let preludeRows: PostgresRows?

    init(connection: PostgresConnection, attempt: Int, preludeRows: PostgresRows?) {
        self.connection = connection
        self.attempt = attempt
        self.preludeRows = preludeRows
    }

    /// Sends `script` (parameterless statements; quote values with `connection.literal`) in the
    /// same round trip as the COMMIT that ends the transaction, after the body returns: one round
    /// trip less while the transaction holds its locks. If the script fails, nothing commits and
    /// its error is thrown; a lost answer is `pg.commit_unknown` as for a plain COMMIT.
    public func commit(after script: String) {
        finish.script = script
    }

    /// Runs one statement with text parameters inside the transaction.
    @discardableResult
    public func query(_ sql: String, _ params: [String?] = []) throws(PostgresError) -> PostgresRows {
        try connection.query(sql, params)
    }

    /// Runs a parameterless script inside the transaction.
    @discardableResult
    public func execute(_ script: String) throws(PostgresError) -> PostgresRows {
        try connection.execute(script)
    }
}

// MARK: - Small helpers (no Foundation)

/// A recursive pthread mutex, so that a transaction body may call back into its connection.
final class RecursiveLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        var attr = pthread_mutexattr_t()
        pthread_mutexattr_init(&attr)
        pthread_mutexattr_settype(&attr, Int32(PTHREAD_MUTEX_RECURSIVE))
        pthread_mutex_init(mutex, &attr)
        pthread_mutexattr_destroy(&attr)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

extension String {
    fileprivate func trimmed(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }

    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstByteRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}

extension Substring {
    /// The first range of `target`, compared byte-wise on UTF-8 (exact, no Unicode equivalence).
    fileprivate func firstByteRange(of target: String) -> Range<Index>? {
        let t = Array(target.utf8)
        let u = self.utf8
        guard !t.isEmpty, u.count >= t.count else { return nil }
        var i = u.startIndex
        while i != u.endIndex {
            var j = i, k = 0
            while k < t.count, j != u.endIndex, u[j] == t[k] { j = u.index(after: j); k += 1 }
            if k == t.count { return i..<j }
            i = u.index(after: i)
        }
        return nil
    }
}
