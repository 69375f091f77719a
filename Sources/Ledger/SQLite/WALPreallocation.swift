import Foundation
import GRDB
import GRDBSQLite
import CFileSystem

/// Lengthens the ledger's write-ahead log with written zeros, ahead of the commits that will fill
/// it, so that a reservation's sync never has to grow the file.
///
/// Why: an `fdatasync` that must also make a file's new length durable commits the file
/// system's journal; one that only overwrites blocks already in the file does not. A log grows
/// with every commit from its creation (a clean close of the last connection deletes it, and
/// the next process to open the ledger starts a new one) until a checkpoint lets it restart
/// from its start, about 40 paid requests later in `purse serve`. Every reservation in that
/// stretch paid for the journal commit: measured on this project's VM (ext4), a durable commit
/// took 0.38–0.69 ms on a growing log and 0.19–0.20 ms on one already long enough, in the same
/// minute. So a process that will pay (`purse serve`) lengthens the log once, in the
/// background, to `bytes`: SQLite's own checkpoint threshold (1,000 pages of 4 KiB), past
/// which the log seldom grows.
///
/// Not on a file system in memory (tmpfs, ramfs): no sync waits for a disk there, and the zeros
/// would hold 4 MiB of memory for nothing.
///
/// Zeros, not `fallocate`: on ext4 a preallocated block stays "unwritten" until written, and the
/// first write into it changes the extent tree, the same journal commit.
///
/// Sound: SQLite reads a log only up to its last valid frame (each frame carries the log's
/// salts and a running checksum), so zeros after the frames are never taken for one, and a log
/// that is all zeros (no valid header) is an empty log, whose next commit writes a new header.
/// The zeros are written while the ledger's connection holds the database's write lock
/// (`BEGIN IMMEDIATE`), so no writer of any process appends frames where they go, and only past
/// the file's end. In chunks, each under its own lock, so another process's reservation waits
/// at most one chunk's write; the sync that makes the new length durable runs after, outside
/// the lock.
enum WALPreallocation {
    /// The log's length after preallocation: 4 MiB.
    static let bytes: Int64 = 4 << 20
    /// The zeros written under one hold of the write lock: 256 KiB.
    static let chunk = 256 << 10
    /// The zeros of one write: 64 KiB (SQLite's Unix VFS writes at most 128 KiB − 1 at once,
    /// and reports a longer write as a full disk).
    static let writeSize = 64 << 10

    /// Below this much free space on the ledger's file system nothing is preallocated: the
    /// zeros must never take the room a payment's own commit needs (64 MiB).
    static let minimumFreeBytes: Int64 = 64 << 20

    /// Lengthens the log of `db`'s database (the ledger's own connection, outside any
    /// transaction) to `target` bytes; true when it is at least that long afterwards, and synced
    /// (`WALSync`) if this call lengthened it; throws when a transaction or that sync fails.
    /// Nothing depends on it: on any failure, on a nearly full disk or on a file system in
    /// memory (`inMemory`, normally asked of `path`), the log just grows as before.
    ///
    /// On the ledger's own connection, queued on its writer like any write of the process:
    /// nothing else is opened at start, and the process's own writes are ordered with it.
    static func extend(_ db: Database, path: String, to target: Int64 = bytes, minimumFree: Int64 = minimumFreeBytes,
                       inMemory: Bool? = nil) throws -> Bool {
        guard !(inMemory ?? isInMemory(path: path)),
              freeBytes(path: path).map({ $0 >= minimumFree }) ?? false,
              // The journal pointer names the log only in WAL mode (a rollback journal otherwise).
              try String.fetchOne(db, sql: "PRAGMA journal_mode")?.lowercased() == "wal"
        else { return false }
        var grown = false
        // Bounded: each pass writes one chunk, and the log cannot shrink while this runs (a
        // checkpoint never truncates it here: no `journal_size_limit` is set). Each pass's
        // transaction writes no page, so its commit writes nothing to the log.
        for _ in 0...(Int(target) / chunk + 1) {
            switch try SQLiteLedger.immediateTransaction(db, { appendChunk($0, target: target) }) {
            case .failed: return false
            case .grown: grown = true
            case .long:
                // The one journal commit of the new length, here rather than in a reservation's
                // sync; a log already long enough costs none.
                if grown { try WALSync.sync(db, path: path) }
                return true
            }
        }
        return false
    }

    private enum ChunkState { case grown, long, failed }

    /// Inside the write lock: one chunk of zeros at the log's end, unless it is long enough.
    private static func appendChunk(_ db: Database, target: Int64) -> ChunkState {
        var found = SQLITE_OK
        guard let (file, methods) = WALSync.log(db, found: &found), let size = methods.xFileSize, let write = methods.xWrite else {
            return .failed
        }
        var length: sqlite3_int64 = 0
        guard size(file, &length) == SQLITE_OK else { return .failed }
        guard length < target else { return .long }
        let end = min(target, length + Int64(chunk))
        let zeros = [UInt8](repeating: 0, count: writeSize)
        while length < end {
            let count = Int32(min(Int64(zeros.count), end - length))
            guard zeros.withUnsafeBytes({ write(file, $0.baseAddress, count, length) }) == SQLITE_OK else { return .failed }
            length += Int64(count)
        }
        return .grown
    }

    /// Whether the file system holding `path` keeps its files in memory (tmpfs, ramfs); false
    /// when it cannot tell.
    static func isInMemory(path: String) -> Bool {
        purse_file_system_in_memory(path) == 1
    }

    /// The space left for an unprivileged writer on the file system holding `path`.
    static func freeBytes(path: String) -> Int64? {
        var fs = statvfs()
        guard statvfs(path, &fs) == 0 else { return nil }
        return Int64(fs.f_bavail) * Int64(fs.f_frsize)
    }
}
