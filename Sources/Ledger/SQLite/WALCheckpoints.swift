import Foundation
import GRDB

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
final class WALCheckpoints: @unchecked Sendable {
    /// A passive checkpoint after this many queued writes (about 420 WAL pages of payments).
    static let every = 32

    private let lock = NSLock()
    private var sinceLast = 0
    private var count = 0

    /// Checkpoints run so far by this ledger (for tests).
    var run: Int { lock.withLock { count } }

    /// Counts one queued write; every `every`th, checkpoints passively (it waits for nobody and
    /// copies what no reader still needs). Runs on the connection's queue, outside a transaction.
    func afterQueuedWrite(_ db: Database) {
        let due: Bool = lock.withLock {
            sinceLast += 1
            guard sinceLast >= Self.every else { return false }
            sinceLast = 0
            count += 1
            return true
        }
        if due { _ = try? Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    }
}
