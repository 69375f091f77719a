import Foundation
import GRDB
import PurseCore
import PurseTesting
import Testing
@testable import Ledger

/// A paying process lengthens the ledger's log once, with zeros, so that no reservation's sync
/// has to grow the file (`WALPreallocation`), and SQLite still reads exactly the committed rows.
@Suite struct WALPreallocationTests {
    /// The length of the ledger's log file, or -1 when there is none.
    static func logLength(_ path: String) -> Int64 {
        var st = stat()
        return stat(path + "-wal", &st) == 0 ? Int64(st.st_size) : -1
    }

    /// Whether the tests' scratch directories are on a disk: on a file system in memory a
    /// paying process lengthens nothing (`aFileSystemInMemoryIsNotLengthened`), so the tests
    /// that lengthen through `prepareForPayments` run only on a disk.
    static let scratchOnDisk = !WALPreallocation.isInMemory(path: FileManager.default.temporaryDirectory.path)
    static let onDiskOnly: Comment = "the scratch directory is in memory, where a paying process lengthens nothing"

    @Test(.enabled(if: Self.scratchOnDisk, Self.onDiskOnly)) func aPayingProcessLengthensTheLogOnceAndReservationsNoLongerGrowIt() throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let path = dir.file("l.db")
        let ledger = try openLedger(path)
        let session = try ledger.startSession(kind: "serve", label: nil, clientName: nil, now: t0).id
        #expect(Self.logLength(path) < WALPreallocation.bytes)
        ledger.prepareForPayments()
        #expect(QueuedLedgerWrites.drain(timeout: .seconds(30)))
        let length = Self.logLength(path)
        #expect(length == WALPreallocation.bytes)
        // Again: the log is long enough, nothing is written.
        #expect(try ledger.dbQueue.writeWithoutTransaction { try WALPreallocation.extend($0, path: path) })
        #expect(Self.logLength(path) == length)
        for i in 0..<20 {
            let row = try ledger.reserve(usdc(session, 10_000, nonce: i), limits: .none, now: t0)
            try ledger.markSent(id: row.id, now: t0)
            try ledger.markSettled(id: row.id, txHash: "0x\(i)", httpStatus: 200, now: t0)
        }
        #expect(Self.logLength(path) == length, "20 paid rows fit in the lengthened log")
        #expect(try ledger.usage(sessionID: session, host: nil, allHosts: true, now: t0).sessionSpent == Micros(200_000))
        #expect(try ledger.payments(PaymentFilter()).count == 20)
    }

    /// A crash right after a reservation: the files as the disk holds them (database and log,
    /// no shared-memory index) open to exactly the committed rows, the zeros after the last
    /// frame ignored. Also from a log lengthened before its first frame (all zeros, no header).
    @Test(arguments: [false, true])
    func aLengthenedLogRecoversExactlyTheCommittedRows(emptyLogFirst: Bool) throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let path = dir.file("l.db")
        let ledger = try openLedger(path)
        let session = try ledger.startSession(kind: "serve", label: nil, clientName: nil, now: t0).id
        if emptyLogFirst {
            try ledger.dbQueue.writeWithoutTransaction { _ = try Row.fetchAll($0, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            #expect(Self.logLength(path) == 0)
        }
        #expect(try ledger.dbQueue.writeWithoutTransaction { try WALPreallocation.extend($0, path: path, inMemory: false) })
        #expect(Self.logLength(path) == WALPreallocation.bytes)
        let kept = try ledger.reserve(usdc(session, 30_000, nonce: 1), limits: .none, now: t0)
        // The crash: copies of the two files, taken while the ledger is open and its log not
        // checkpointed; the copy's index is rebuilt from the log when it opens.
        let copy = dir.file("copy.db")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
        let reopened = try openLedger(copy)
        let rows = try reopened.payments(PaymentFilter())
        #expect(rows.map(\.id) == [kept.id])
        #expect(rows.first?.status == .reserved && rows.first?.micros == Micros(30_000))
        #expect(try reopened.health().integrity == "ok")
        // And it goes on writing: the next reservation counts the first.
        let next = try reopened.reserveWithUsage(usdc(session, 10_000, nonce: 2), limits: .none, now: t0)
        #expect(next.usageBefore?.sessionPending == Micros(30_000))
        withExtendedLifetime(ledger) {}
    }

    /// Another connection (as another process) goes on reserving while the log is lengthened:
    /// the zeros go only where no frame is, so every row survives, in the live file and in a
    /// crash copy of it.
    @Test(.enabled(if: Self.scratchOnDisk, Self.onDiskOnly)) func anotherWriterLosesNothingWhileTheLogIsLengthened() async throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let path = dir.file("l.db")
        let preparing = try openLedger(path)
        let other = try openLedger(path)
        let session = try other.startSession(kind: "serve", label: nil, clientName: nil, now: t0).id
        preparing.prepareForPayments()
        let ids = try await Task.detached {
            try (0..<60).map { i in try other.reserve(usdc(session, 1_000, nonce: i), limits: .none, now: t0).id }
        }.value
        #expect(QueuedLedgerWrites.drain(timeout: .seconds(30)))
        #expect(Self.logLength(path) >= WALPreallocation.bytes)
        #expect(try preparing.payments(PaymentFilter()).map(\.id).sorted() == ids)
        let copy = dir.file("copy.db")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
        let reopened = try openLedger(copy)
        #expect(try reopened.payments(PaymentFilter()).count == 60)
        #expect(try reopened.health().integrity == "ok")
        withExtendedLifetime((preparing, other)) {}
    }

    /// The zeros are not the ledger's size: a small ledger with a lengthened log is still
    /// checked before it opens, not in the background (which costs the idle server memory).
    @Test(.enabled(if: Self.scratchOnDisk, Self.onDiskOnly)) func aLengthenedLogDoesNotSendTheOpeningCheckToTheBackground() throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let path = dir.file("l.db")
        let first = try openLedger(path) // kept open, so that its lengthened log stays
        first.prepareForPayments()
        #expect(QueuedLedgerWrites.drain(timeout: .seconds(30)))
        #expect(Self.logLength(path) == WALPreallocation.bytes)
        let second = try openLedger(path)
        #expect(second.integrity === IntegrityCheck.passed, "checked inline: the database is a few pages")
        // While a ledger whose pages are over the threshold is still checked in the background.
        let third = try openLedger(path, LedgerOptions(quickCheckInlineMaxBytes: 4_096))
        #expect(third.integrity !== IntegrityCheck.passed)
        try third.integrity.verdict()
        withExtendedLifetime((first, second, third)) {}
    }

    /// A truncated database beside a log of zeros (no header, so no frames) is still refused
    /// as truncated before SQLite opens it, as it is beside no log at all.
    @Test func aTruncatedDatabaseBesideALogOfZerosIsRefused() throws {
        let full = try realLedgerBytes()
        let dir = try ScratchDirectory("purse-ledger-tests")
        let path = dir.file("l.db")
        try Data(full.prefix(4 * 4096)).write(to: URL(fileURLWithPath: path))
        try Data(count: Int(WALPreallocation.bytes)).write(to: URL(fileURLWithPath: path + "-wal"))
        #expect(!LedgerFile.hasLogHeader(path: path + "-wal"))
        let error = ledgerError { () throws(LedgerError) in try SQLiteLedger(path: path) }
        #expect(error?.code == "ledger.corrupt")
        #expect(error?.message.contains("truncated") == true)
        // A log that holds frames has its header.
        let live = try openLedger(dir.file("live.db"))
        #expect(LedgerFile.hasLogHeader(path: live.path + "-wal"))
        withExtendedLifetime(live) {}
    }

    /// Out of WAL mode the journal pointer names the rollback journal: nothing is written.
    @Test func aDatabaseOutOfWALModeIsLeftAlone() throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let path = dir.file("plain.db")
        let queue = try DatabaseQueue(path: path) // rollback journal (DELETE), GRDB's default
        try queue.write { try $0.execute(sql: "CREATE TABLE t (x INTEGER)") }
        #expect(try queue.writeWithoutTransaction { try !WALPreallocation.extend($0, path: path) })
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        #expect(Self.logLength(path) == -1)
    }

    @Test func aLedgerThatSyncsNothingIsNotLengthened() throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let path = dir.file("l.db")
        let ledger = try openLedger(path, LedgerOptions(synchronousFull: false))
        let before = Self.logLength(path)
        ledger.prepareForPayments()
        #expect(QueuedLedgerWrites.drain(timeout: .seconds(30)))
        #expect(before > 0 && Self.logLength(path) == before)
        withExtendedLifetime(ledger) {}
    }

    @Test func aNearlyFullDiskIsLeftItsRoom() throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let path = dir.file("l.db")
        let ledger = try openLedger(path) // kept open, so that its log stays
        let before = Self.logLength(path)
        #expect(before > 0 && before < WALPreallocation.bytes)
        let free = try #require(WALPreallocation.freeBytes(path: path))
        #expect(free > 0)
        // As if the file system had less free space than the guard asks for.
        #expect(try !ledger.dbQueue.writeWithoutTransaction { try WALPreallocation.extend($0, path: path, minimumFree: free + (1 << 30)) })
        #expect(Self.logLength(path) == before)
        #expect(try ledger.dbQueue.writeWithoutTransaction { try WALPreallocation.extend($0, path: path, inMemory: false) })
        #expect(Self.logLength(path) == WALPreallocation.bytes)
        withExtendedLifetime(ledger) {}
    }

    /// On a file system in memory (`/dev/shm`, tmpfs on Linux) no sync waits for a disk: the
    /// log is not lengthened, by a paying process or by a direct call, and the ledger works as
    /// before. The same call on the scratch directory's disk does lengthen (above).
    @Test(.enabled(if: WALPreallocation.isInMemory(path: "/dev/shm"), "no file system in memory at /dev/shm"))
    func aFileSystemInMemoryIsNotLengthened() throws {
        var template = Array("/dev/shm/purse-ledger-tests-XXXXXX".utf8CString)
        let made = try #require(mkdtemp(&template))
        let dir = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/l.db"
        let ledger = try openLedger(path)
        let session = try ledger.startSession(kind: "serve", label: nil, clientName: nil, now: t0).id
        let before = Self.logLength(path)
        #expect(before > 0 && before < WALPreallocation.bytes)
        ledger.prepareForPayments()
        #expect(QueuedLedgerWrites.drain(timeout: .seconds(30)))
        #expect(Self.logLength(path) == before)
        #expect(try !ledger.dbQueue.writeWithoutTransaction { try WALPreallocation.extend($0, path: path) })
        #expect(Self.logLength(path) == before)
        let row = try ledger.reserve(usdc(session, 10_000, nonce: 1), limits: .none, now: t0)
        #expect(try ledger.payments(PaymentFilter()).map(\.id) == [row.id])
        withExtendedLifetime(ledger) {}
    }

    /// The question itself: only tmpfs and ramfs count as memory (not `/proc`, which is neither
    /// a disk nor a place for files), and a path that cannot be examined is not taken for memory.
    @Test func onlyAFileSystemInMemoryCounts() {
        #expect(!WALPreallocation.isInMemory(path: "/nonexistent/purse/l.db"))
        #if os(Linux)
        #expect(!WALPreallocation.isInMemory(path: "/proc"))
        #endif
    }
}
