import Foundation
import GRDB
import PurseCore

/// The ledger in one SQLite file: the default backend, shared by every Purse process of a user
/// on one machine.
///
/// Budgets cannot be overspent because `reserve` computes the usage sums, calls `BudgetCheck`
/// and inserts the row in one `BEGIN IMMEDIATE` transaction, durable before it returns (the
/// write-ahead log synced just after the commit, `WALSync`); SQLite lets one such transaction
/// run at a time across all processes on the file, and a kernel `flock` gate queues the
/// contenders (`ReservationGate`).
///
/// Each instance owns one connection (a GRDB `DatabaseQueue` in WAL mode) and is safe to share
/// between threads. This file opens and migrates; the other concerns are in
/// `SQLiteLedger+Sessions`, `+Reservation`, `+Transitions` and `+Queries`.
public final class SQLiteLedger: PaymentLedger {
    /// The file this ledger writes.
    public let path: String
    /// The options it was opened with.
    public let options: LedgerOptions
    /// The connection (package-visible for the repair and test helpers in `PurseTesting`).
    package let dbQueue: DatabaseQueue
    let gate: ReservationGate
    /// The file's quick_check verdict, which `reserve` waits for (`IntegrityCheck`).
    let integrity: IntegrityCheck
    /// The WAL checkpoints this process runs from its queued writes (`WALCheckpoints`).
    let checkpoints = WALCheckpoints()
    /// Makes a reservation durable after its commit (`WALSync.sync`). Tests wrap it to see when
    /// it runs; set it before the ledger is shared.
    nonisolated(unsafe) package var syncLog: @Sendable (Database, String) throws -> Void = { db, path in try WALSync.sync(db, path: path) }

    public var location: String { path }

    /// The length of the rolling daily window, in milliseconds.
    static let dayMillis = LedgerTime.dayMillis

    /// Opens (creating if needed) the ledger at `path` and brings its schema up to date.
    ///
    /// A missing directory is created with mode 0700 and a new file with mode 0600 (its -wal and
    /// -shm files are kept owner-only too). A file that is not a SQLite database, is truncated or
    /// damaged, belongs to another program, or was written by a newer Purse is refused and left
    /// unmodified. `PRAGMA quick_check` runs before this returns for a file of up to
    /// `options.quickCheckInlineMaxBytes`, in the background for a larger one (reservations wait
    /// for its verdict), and not at all when `options.quickCheckOnOpen` is false.
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
        let inlineCheck: Bool
        do {
            inlineCheck = try dbQueue.writeWithoutTransaction { db in
                // Reads only, until every check has passed.
                let tables = try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                    """)
                let inlineCheck = try options.quickCheckOnOpen && LedgerFile.imageBytes(db) <= options.quickCheckInlineMaxBytes
                if inlineCheck { try IntegrityCheck.run(db, path: path) }
                if !tables.isEmpty {
                    guard tables.contains("grdb_migrations") else {
                        throw LedgerError.notADatabase(
                            path: path, detail: "a SQLite database of another program (tables: \(tables.prefix(5).joined(separator: ", ")))")
                    }
                    let unknown = try SQLiteSchema.migrator.appliedIdentifiers(db).subtracting(SQLiteSchema.known)
                    if !unknown.isEmpty {
                        throw LedgerError.newerSchema(path: path, unknownMigrations: unknown.sorted())
                    }
                }
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                guard mode?.lowercased() == "wal" else {
                    throw LedgerError.openFailed(path: path, reason: "could not switch to WAL mode (got \(mode ?? "nothing"))")
                }
                return inlineCheck
            }
            try Self.migrate(dbQueue)
            // From here on, commits do not sync: what must be durable is synced by hand after
            // its commit, outside the write lock (`write`, `syncCommitted`). A toggle between
            // NORMAL and FULL around each write cost two statements that SQLite prepares again
            // on every run (a pragma acts when prepared), ~12 µs per transaction.
            if options.synchronousFull { try dbQueue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = NORMAL") } }
        } catch {
            throw LedgerError.from(error, path: path, busyTimeout: timeout)
        }
        gate = ReservationGate(databasePath: path)
        LedgerFile.restrictCompanions(path: path)
        integrity = options.quickCheckOnOpen && !inlineCheck
            ? IntegrityCheck.inBackground(path: path, busyTimeout: options.busyTimeout) : IntegrityCheck.passed
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
                try SQLiteSchema.migrator.migrate(dbQueue)
                return
            } catch {
                let applied = try dbQueue.read { try SQLiteSchema.migrator.appliedIdentifiers($0) }
                if SQLiteSchema.known.isSubset(of: applied) { return }
                attempt += 1
                guard attempt < 50 else { throw error }
                usleep(20_000)
            }
        }
    }

    // MARK: - Plumbing shared by the extensions

    /// A write that is on disk when this returns (sessions, approvals, claims): one immediate
    /// transaction, then, with `synchronousFull`, the log synced by hand (`syncLog`).
    func write<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do { return try writeDurably(body) } catch { throw LedgerError.from(error, path: path, busyTimeout: options.busyTimeout) }
    }

    /// `write` without the error mapping, for callers that throw errors of their own from `body`.
    func writeDurably<T>(_ body: (Database) throws -> T) throws -> T {
        let (full, path, syncLog) = (options.synchronousFull, self.path, self.syncLog)
        return try dbQueue.writeWithoutTransaction { db in
            let value = try Self.immediateTransaction(db, body)
            if full { try syncLog(db, path) }
            return value
        }
    }

    /// A write that need not reach the disk before returning, for status changes after the
    /// reservation: one immediate transaction, committed without a sync.
    ///
    /// Only the reservation must be durable before anything is signed: it holds the nonce,
    /// payer and validBefore, so if a later change (sent, settled, failed, unknown) is lost in a
    /// crash the row falls back to an earlier, still-counted status and `reconcile` settles or
    /// releases it from the chain's `authorizationState`. The next durable write syncs the WAL,
    /// including these frames. This halves the fsyncs on a payment's critical path.
    func writeRecoverable<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try dbQueue.writeWithoutTransaction { db in try Self.immediateTransaction(db, body) }
        } catch { throw LedgerError.from(error, path: path, busyTimeout: options.busyTimeout) }
    }

    /// The same write as `writeRecoverable`, queued on this ledger's connection behind every call
    /// already made and ahead of every later one, without the caller waiting
    /// (`PaymentLedger.recordQueued`); `failed` hears of an error. With `checkpointAfter`, it
    /// counts towards the next WAL checkpoint (`WALCheckpoints`).
    func writeRecoverableQueued(_ body: @escaping @Sendable (Database) throws -> Void, checkpointAfter: Bool = true,
                                failed: @escaping @Sendable (LedgerError) -> Void) {
        let (path, busyTimeout, checkpoints) = (self.path, options.busyTimeout, self.checkpoints)
        QueuedLedgerWrites.begin()
        dbQueue.asyncWriteWithoutTransaction { db in
            defer { QueuedLedgerWrites.end() }
            do { try Self.immediateTransaction(db, body) } catch { failed(LedgerError.from(error, path: path, busyTimeout: busyTimeout)) }
            if checkpointAfter { checkpoints.afterQueuedWrite(path: path) }
        }
    }

    /// Lengthens the write-ahead log to `WALPreallocation.bytes`, queued on this ledger's
    /// connection like an outcome's write (a process waits for it before exiting), unless
    /// nothing is synced by hand (`synchronousFull` false), where its length costs no sync.
    public func prepareForPayments() {
        guard options.synchronousFull else { return }
        let path = self.path
        QueuedLedgerWrites.begin()
        dbQueue.asyncWriteWithoutTransaction { db in
            defer { QueuedLedgerWrites.end() }
            _ = try? WALPreallocation.extend(db, path: path)
        }
    }

    /// Puts what this connection has committed on disk (`syncLog`, normally `WALSync.sync`),
    /// after a commit made without its sync: the reservation's, and a durable sent mark's.
    func syncCommitted() throws(LedgerError) {
        let (path, syncLog) = (self.path, self.syncLog)
        do { try dbQueue.writeWithoutTransaction { db in try syncLog(db, path) } } catch {
            throw LedgerError.from(error, path: path, busyTimeout: options.busyTimeout)
        }
    }

    /// One `BEGIN IMMEDIATE` transaction around `body`, committed at the connection's
    /// `synchronous=NORMAL` (no sync in the commit; see `write` and `syncCommitted` for what is
    /// synced after), rolled back if `body` or the commit throws.
    ///
    /// Why not GRDB's `inTransaction`: it prepares `BEGIN` and `COMMIT` from their text for every
    /// transaction; these are the connection's cached statements, which matters on the three
    /// transactions of every paid request.
    static func immediateTransaction<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute()
        do {
            let value = try body(db)
            try db.cachedStatement(sql: "COMMIT").execute()
            return value
        } catch {
            // Only if SQLite has not already rolled back (GRDB's `rollback` asks).
            try? db.rollback()
            throw error
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do { return try dbQueue.read(body) } catch { throw LedgerError.from(error, path: path, busyTimeout: options.busyTimeout) }
    }

    /// Unix milliseconds, rounded to nearest so that `date(millis(d))` round-trips.
    static func millis(_ date: Date) -> Int64 { LedgerTime.millis(date) }

    static func date(_ millis: Int64) -> Date { LedgerTime.date(millis) }
}
