import Foundation
import PurseCore
import PurseTesting
import Synchronization
import Testing
@testable import Ledger

/// How a payment's outcome reaches its row: `record` now, or `recordQueued` behind the caller.
@Suite struct QueuedOutcomeTests {
    @Test(arguments: LedgerBackend.tested)
    func recordMakesTheTransitionItNames(_ backend: LedgerBackend) throws { try LedgerCase(backend).recordMakesTheTransitionItNames() }

    @Test func aQueuedOutcomeIsSeenByTheNextCallOnTheSameLedger() throws { try LedgerCase(.sqlite).queuedOutcomeIsSeenByTheNextCall() }

    @Test func aQueuedChargeFreesTheRestOfTheMaximum() throws { try LedgerCase(.sqlite).queuedChargeFreesTheRest() }

    @Test func aQueuedWriteThatFailsIsReportedAndChangesNothing() throws { try LedgerCase(.sqlite).queuedFailureIsReported() }

    @Test func drainedQueuedWritesAreVisibleToAnotherConnection() throws { try LedgerCase(.sqlite).drainedWritesAreVisibleElsewhere() }

    @Test("the WAL is checkpointed from queued writes, every 32nd, before SQLite's own would run in a commit")
    func queuedWritesCheckpointTheWAL() throws { try LedgerCase(.sqlite).queuedWritesCheckpoint() }

    @Test("the checkpoint opens a connection of its own: it copies every frame, creates no file, and the ledger writes on")
    func theCheckpointHasItsOwnConnection() throws { try LedgerCase(.sqlite).checkpointOnItsOwnConnection() }

    @Test("a queued sent mark lands before the outcome queued after it, with its payload, and starts no checkpoint")
    func aQueuedSentMarkPrecedesTheOutcome() throws { try LedgerCase(.sqlite).queuedSentMarkPrecedesTheOutcome() }

    @Test func aQueuedSentMarkOfARowNotReservedIsReportedAndChangesNothing() throws { try LedgerCase(.sqlite).queuedSentMarkFailureIsReported() }

    @Test func postgresqlDoesNotQueue() throws {
        guard LedgerBackend.tested.contains(.postgresql) else { return }
        try LedgerCase(.postgresql).postgresqlDoesNotQueue()
    }
}

/// The cases of `QueuedOutcomeTests`.
extension LedgerCase {
    private func sentRow(_ atomic: Int64 = 10_000, nonce: Int) throws -> Int64 {
        let id = try ledger.reserve(usdc(session, atomic, nonce: nonce), limits: .none, now: t0).id
        try ledger.markSent(id: id, now: t0)
        return id
    }

    func queuedWritesCheckpoint() throws {
        let sqlite = try #require(ledger as? SQLiteLedger)
        for i in 0..<(WALCheckpoints.every - 1) {
            #expect(ledger.recordQueued(.settled(txHash: "0x\(i)", httpStatus: 200, receipt: nil, charge: nil), id: try sentRow(nonce: i), now: t0, failed: { _ in }))
        }
        #expect(QueuedLedgerWrites.drain())
        #expect(sqlite.checkpoints.run == 0)
        // The 32nd queued write checkpoints: afterwards every frame in the WAL is in the file.
        #expect(ledger.recordQueued(.settled(txHash: "0xlast", httpStatus: 200, receipt: nil, charge: nil), id: try sentRow(nonce: 999), now: t0, failed: { _ in }))
        #expect(QueuedLedgerWrites.drain()) // waits for the checkpoint too
        #expect(sqlite.checkpoints.run == 1)
        #expect(sqlite.checkpoints.completedInFull == 1)
        // Checkpointed in full, the WAL is written again from its start: 32 more payments leave
        // its file no longer. Without the checkpoint it would grow to about twice the size (64
        // payments, about 830 pages, stay under SQLite's own threshold of 1,000).
        let walSize = { (try? FileManager.default.attributesOfItem(atPath: sqlite.path + "-wal")[.size] as? Int) ?? -1 }
        let before = walSize()
        for i in 0..<32 {
            #expect(ledger.recordQueued(.failed(error: "no", httpStatus: 402), id: try sentRow(nonce: 2_000 + i), now: t0, failed: { _ in }))
        }
        #expect(QueuedLedgerWrites.drain())
        #expect(before > 0)
        #expect(walSize() == before)
    }

    /// The checkpoint's own connection: copies every frame, and opens nothing that is not there.
    func checkpointOnItsOwnConnection() throws {
        let sqlite = try #require(ledger as? SQLiteLedger)
        _ = try sentRow(nonce: 1)
        #expect(WALCheckpoints.checkpoint(path: sqlite.path))
        let missing = sqlite.path + ".missing"
        #expect(!WALCheckpoints.checkpoint(path: missing))
        #expect(!FileManager.default.fileExists(atPath: missing))
        // The ledger's own connection goes on writing after a checkpoint it did not run.
        _ = try sentRow(nonce: 2)
        #expect(try ledger.payment(id: try sentRow(nonce: 3))?.status == .sent)
    }

    private static let writes: [OutcomeWrite] = [
        .settled(txHash: "0xfeed", httpStatus: 200, receipt: #"{"ok":true}"#, charge: nil),
        .failed(error: "payment refused", httpStatus: 402),
        .unknown(error: "no answer", httpStatus: nil, txHash: "0xbeef"),
    ]

    func recordMakesTheTransitionItNames() throws {
        for (i, write) in Self.writes.enumerated() {
            let id = try sentRow(nonce: i)
            try ledger.record(write, id: id, now: t0.addingTimeInterval(1))
            let row = try #require(try ledger.payment(id: id))
            #expect(row.status == write.status, "\(write)")
            switch write {
            case .settled: #expect(row.txHash == "0xfeed" && row.httpStatus == 200 && row.receipt == #"{"ok":true}"#)
            case .failed: #expect(row.error == "payment refused" && row.httpStatus == 402)
            case .unknown: #expect(row.error == "no answer" && row.txHash == "0xbeef")
            }
        }
    }

    /// Read straight after queueing, many times over: the read never overtakes the write.
    func queuedOutcomeIsSeenByTheNextCall() throws {
        for i in 0..<60 {
            let write = Self.writes[i % Self.writes.count]
            let id = try sentRow(nonce: i)
            let failures = Mutex<[LedgerError]>([])
            let queued = ledger.recordQueued(write, id: id, now: t0, failed: { e in failures.withLock { $0.append(e) } })
            #expect(queued)
            #expect(try ledger.payment(id: id)?.status == write.status, "\(write)")
            #expect(failures.withLock { $0.isEmpty })
        }
        let usage = try ledger.usage(sessionID: session, host: nil, allHosts: true, now: t0)
        // 20 of each: settled and unknown count, failed does not.
        #expect(usage.sessionSpent == Micros(40 * 10_000))
        #expect(usage.sessionPending == Micros(20 * 10_000))
    }

    func queuedChargeFreesTheRest() throws {
        let id = try sentRow(50_000, nonce: 1)
        let charge = SettledCharge(atomic: 12_300, micros: Micros(12_300), source: .receipt)
        let queued = ledger.recordQueued(.settled(txHash: "0x1", httpStatus: 200, receipt: nil, charge: charge), id: id, now: t0, failed: { _ in })
        #expect(queued)
        let row = try #require(try ledger.payment(id: id))
        #expect(row.status == .settled && row.micros == Micros(12_300) && row.amountAtomic == 12_300)
        #expect(try ledger.usage(sessionID: session, host: nil, allHosts: false, now: t0).sessionSpent == Micros(12_300))
    }

    /// `settled` from `reserved` is not a legal move: the callback hears why, the row stays.
    func queuedFailureIsReported() throws {
        let id = try ledger.reserve(usdc(session, 10_000), limits: .none, now: t0).id
        let failures = Mutex<[LedgerError]>([])
        let queued = ledger.recordQueued(.settled(txHash: nil, httpStatus: 200, receipt: nil, charge: nil), id: id, now: t0,
                                         failed: { e in failures.withLock { $0.append(e) } })
        #expect(queued)
        #expect(QueuedLedgerWrites.drain(timeout: .seconds(30)))
        #expect(failures.withLock { $0 } == [.badTransition(id: id, from: .reserved, to: .settled)])
        #expect(try ledger.payment(id: id)?.status == .reserved)
    }

    /// What the process waits for at exit: once drained, another connection (another process)
    /// sees the write.
    func drainedWritesAreVisibleElsewhere() throws {
        let id = try sentRow(nonce: 2)
        let queued = ledger.recordQueued(.settled(txHash: "0x2", httpStatus: 200, receipt: nil, charge: nil), id: id, now: t0, failed: { _ in })
        #expect(queued)
        #expect(QueuedLedgerWrites.drain(timeout: .seconds(30)))
        #expect(try fixture.another().payment(id: id)?.status == .settled)
    }

    func postgresqlDoesNotQueue() throws {
        let id = try sentRow(nonce: 3)
        let queued = ledger.recordQueued(.settled(txHash: "0x3", httpStatus: 200, receipt: nil, charge: nil), id: id, now: t0, failed: { _ in })
        #expect(!queued)
        #expect(try ledger.payment(id: id)?.status == .sent)
        let reserved = try ledger.reserve(usdc(session, 10_000, nonce: 4), limits: .none, now: t0).id
        let marked = ledger.markSentQueued(id: reserved, signedPayload: "{}", now: t0, failed: { _ in })
        #expect(!marked)
        #expect(try ledger.payment(id: reserved)?.status == .reserved)
    }

    /// Queued back to back, many times over: the outcome never overtakes the mark, and neither
    /// counts towards a checkpoint but the outcome.
    func queuedSentMarkPrecedesTheOutcome() throws {
        let sqlite = try #require(ledger as? SQLiteLedger)
        let failures = Mutex<[LedgerError]>([])
        var ids: [Int64] = []
        for i in 0..<(WALCheckpoints.every - 1) {
            let id = try ledger.reserve(usdc(session, 10_000, nonce: i), limits: .none, now: t0).id
            let marked = ledger.markSentQueued(id: id, signedPayload: #"{"n":\#(i)}"#, now: t0, failed: { e in failures.withLock { $0.append(e) } })
            let recorded = ledger.recordQueued(.settled(txHash: "0x\(i)", httpStatus: 200, receipt: nil, charge: nil), id: id, now: t0,
                                               failed: { e in failures.withLock { $0.append(e) } })
            #expect(marked && recorded)
            ids.append(id)
        }
        #expect(QueuedLedgerWrites.drain(timeout: .seconds(30)))
        #expect(failures.withLock { $0.isEmpty })
        for (i, id) in ids.enumerated() {
            let row = try #require(try ledger.payment(id: id))
            #expect(row.status == .settled && row.signedPayload == #"{"n":\#(i)}"# && row.txHash == "0x\(i)")
        }
        #expect(sqlite.checkpoints.run == 0, "31 outcomes and 31 marks: no checkpoint yet")
    }

    func queuedSentMarkFailureIsReported() throws {
        let id = try sentRow(nonce: 5)
        try ledger.markFailed(id: id, error: "refused", httpStatus: 402, now: t0)
        let failures = Mutex<[LedgerError]>([])
        let queued = ledger.markSentQueued(id: id, signedPayload: "{}", now: t0, failed: { e in failures.withLock { $0.append(e) } })
        #expect(queued)
        #expect(QueuedLedgerWrites.drain(timeout: .seconds(30)))
        #expect(failures.withLock { $0 } == [.badTransition(id: id, from: .failed, to: .sent)])
        let row = try #require(try ledger.payment(id: id))
        #expect(row.status == .failed && row.signedPayload == nil)
    }
}
