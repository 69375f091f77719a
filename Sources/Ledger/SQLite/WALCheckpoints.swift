import Dispatch
import Foundation
import GRDBSQLite

/// When a process checkpoints the ledger's WAL: from its queued outcome writes, after the
/// payment's answer has gone out, before SQLite's own checkpoint would run in a payment's commit.
///
/// Why: SQLite's automatic checkpoint runs inside the commit that takes the WAL past its
/// threshold (1,000 pages, the default, kept). A paid request writes about 13 pages, so about one
/// in 80 ran it inside its reservation or sent mark: two more fdatasyncs and the pages copied,
/// about 1 ms, before the payment left (seen in a kernel trace of `purse serve`). Here a process
/// runs a passive checkpoint after every `every` queued writes, off that path, so a paying
/// process keeps the WAL well under the threshold. The threshold itself stays: raising it to
/// 4,000 pages made the checkpoints of processes that queue nothing (the ledger bench's
/// reservations) four times longer, inside the reservation gate: a 24 ms worst wait at 4 processes.
///
/// The checkpoint runs on a connection of its own, opened for it and closed after, on its own
/// thread. On the ledger's connection it held that connection's queue for its two fdatasyncs and
/// the copy (0.8–1.3 ms in a kernel trace), so the next payment's reservation, started as soon as
/// the answer went out, waited behind it; a passive checkpoint blocks no writer of another
/// connection. It is counted with the queued writes, so a process waits for it before exiting.
final class WALCheckpoints: @unchecked Sendable {
    /// A passive checkpoint after this many queued writes (about 420 WAL pages of payments).
    static let every = 32

    private let lock = NSLock()
    private var sinceLast = 0
    private var count = 0
    private var completed = 0
    private let queue = DispatchQueue(label: "purse.ledger.checkpoint", qos: .utility)

    /// Checkpoints started so far by this ledger (for tests).
    var run: Int { lock.withLock { count } }

    /// Checkpoints that copied every frame of the log into the database (for tests).
    var completedInFull: Int { lock.withLock { completed } }

    /// Counts one queued write to the ledger at `path`; every `every`th, starts a passive
    /// checkpoint (it waits for nobody and copies what no reader still needs).
    func afterQueuedWrite(path: String) {
        let due: Bool = lock.withLock {
            sinceLast += 1
            guard sinceLast >= Self.every else { return false }
            sinceLast = 0
            count += 1
            return true
        }
        guard due else { return }
        QueuedLedgerWrites.begin()
        queue.async { [self] in
            defer { QueuedLedgerWrites.end() }
            if Self.checkpoint(path: path) { lock.withLock { completed += 1 } }
        }
    }

    /// One passive checkpoint on a fresh connection; true when every frame was copied. Failures
    /// are left to the next one (and to SQLite's own at the threshold): nothing depends on it.
    ///
    /// The connection syncs the log before copying and the database after (as a checkpoint does
    /// at `synchronous` NORMAL or FULL), so the log can be written again from its start only once
    /// its frames are on disk in the database.
    static func checkpoint(path: String) -> Bool {
        var db: OpaquePointer?
        defer { sqlite3_close_v2(db) }
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db,
              sqlite3_exec(db, "PRAGMA synchronous = FULL", nil, nil, nil) == SQLITE_OK
        else { return false }
        var logFrames: Int32 = -1, copied: Int32 = -1
        let code = sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied)
        return code == SQLITE_OK && logFrames >= 0 && copied == logFrames
    }
}
