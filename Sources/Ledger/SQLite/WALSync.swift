import GRDB
import GRDBSQLite

/// Makes a committed transaction durable by syncing the write-ahead log, after the write lock is
/// released.
///
/// Why: with `synchronous=FULL` SQLite syncs the log inside `COMMIT`, while it still holds the
/// database's write lock, so every other process's reservation waits for this one's disk flush
/// (0.2–0.3 ms here, most of a reservation). A reservation instead commits without the sync,
/// gives the lock (and the process gate) back, and then syncs the log itself before returning,
/// so that nothing is signed before its row is on disk, as before. Flushes of processes that
/// reserve at the same time now overlap (the file system joins them into one journal commit)
/// instead of queueing one behind the other.
///
/// Sound because the frames of the committed transaction are in the log before the lock is
/// given back, and syncing the log file flushes every frame written so far. A transaction of
/// another process that saw the uncommitted-to-disk row and counted it is no worse off: if both
/// are lost in a crash, neither had signed. A checkpoint cannot move the frames away unsynced:
/// every connection that checkpoints (synchronous NORMAL or FULL) syncs the log before copying
/// and the database after.
package enum WALSync {
    /// Syncs the write-ahead log of `db`'s main database.
    ///
    /// - Throws: `LedgerError.database` when the log cannot be found or synced; the caller must
    ///   then treat the reservation as not made durable (and sign nothing).
    package static func sync(_ db: Database, path: String) throws(LedgerError) {
        var found = SQLITE_OK
        guard let (file, methods) = log(db, found: &found), let xSync = methods.xSync else {
            throw .database(path: path, resultCode: found == SQLITE_OK ? SQLITE_ERROR : found,
                            detail: "the write-ahead log is not open, so the reservation could not be made durable")
        }
        let code = xSync(file, SQLITE_SYNC_NORMAL)
        guard code == SQLITE_OK else {
            throw .database(path: path, resultCode: code, detail: "syncing the write-ahead log failed, so the reservation is not durable")
        }
    }

    /// The open write-ahead log of `db`'s main database and its I/O methods
    /// (`SQLITE_FCNTL_JOURNAL_POINTER`, which names the log in WAL mode), or nil; `found` gets
    /// the file control's result code. Also where `WALPreallocation` writes its zeros.
    static func log(_ db: Database, found: inout Int32) -> (UnsafeMutablePointer<sqlite3_file>, sqlite3_io_methods)? {
        var file: UnsafeMutablePointer<sqlite3_file>?
        found = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_JOURNAL_POINTER, &file)
        guard found == SQLITE_OK, let file, let methods = file.pointee.pMethods else { return nil }
        return (file, methods.pointee)
    }
}
