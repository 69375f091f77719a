import Foundation
import GRDB
import PurseCore
import PurseTesting
import Synchronization
import Testing
@testable import Ledger

/// A reservation is made durable by syncing the write-ahead log after its commit, once the
/// write lock and the process gate are free, and before `reserve` returns (`WALSync`).
@Suite struct WALSyncTests {
    /// What the sync hook saw when it ran.
    struct Seen: Sendable {
        var calls = 0
        var rowVisibleElsewhere = false
        var writeLockFree = false
        var gateFree = false
    }

    @Test func theLogIsSyncedAfterTheCommitOutsideTheLockAndBeforeReserveReturns() throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let path = dir.file("l.db")
        let ledger = try openLedger(path)
        let session = try ledger.startSession(kind: "serve", label: nil, clientName: nil, now: t0).id
        let seen = Mutex(Seen())
        ledger.syncLog = { db, p in
            // Another connection, as another process: the row is committed, and the write lock
            // can be taken at once (no busy wait allowed).
            var config = Configuration()
            config.busyMode = .immediateError
            let other = try DatabaseQueue(path: p, configuration: config)
            let count = try other.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM payment WHERE status = 'reserved'") ?? 0 }
            let lockFree = (try? other.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE; ROLLBACK") }) != nil
            // The process gate: its flock can be taken from another open file description.
            let fd = open(p + "-reserve.lock", O_RDWR | O_CLOEXEC)
            defer { if fd >= 0 { close(fd) } }
            let gateFree = fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0
            if gateFree { _ = flock(fd, LOCK_UN) }
            seen.withLock {
                $0.calls += 1
                $0.rowVisibleElsewhere = count == 1
                $0.writeLockFree = lockFree
                $0.gateFree = gateFree
            }
            try WALSync.sync(db, path: p)
        }
        _ = try ledger.reserve(usdc(session, 10_000), limits: .none, now: t0)
        let s = seen.withLock { $0 }
        #expect(s.calls == 1, "the log is synced once per reservation, before reserve returns")
        #expect(s.rowVisibleElsewhere)
        #expect(s.writeLockFree, "the sync waits on nobody's write lock")
        #expect(s.gateFree, "nor on the process gate")
    }

    @Test func aFailedSyncRefusesTheReservation() throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let ledger = try openLedger(dir.file("l.db"))
        let session = try ledger.startSession(kind: "serve", label: nil, clientName: nil, now: t0).id
        ledger.syncLog = { _, p in throw LedgerError.database(path: p, resultCode: 10, detail: "disk I/O error (test)") }
        let payment = usdc(session, 10_000)
        let error = reserveError { () throws(LedgerReserveError) in try ledger.reserveWithUsage(payment, limits: .none, now: t0) }
        guard case let .ledger(.database(_, code, _))? = error else {
            Issue.record("expected a ledger error, got \(String(describing: error))")
            return
        }
        #expect(code == 10)
    }

    @Test func aDurableSentMarkSyncsTheLogAndAPlainOneDoesNot() throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let ledger = try openLedger(dir.file("l.db"))
        let session = try ledger.startSession(kind: "serve", label: nil, clientName: nil, now: t0)
        let first = try ledger.reserve(usdc(session.id, 10_000, nonce: 1), limits: .none, now: t0)
        let second = try ledger.reserve(usdc(session.id, 10_000, nonce: 2), limits: .none, now: t0)
        let calls = Mutex(0)
        ledger.syncLog = { db, p in
            calls.withLock { $0 += 1 }
            try WALSync.sync(db, path: p)
        }
        try ledger.markSent(id: first.id, signedPayload: "{}", durable: false, now: t0)
        #expect(calls.withLock { $0 } == 0)
        try ledger.markSent(id: second.id, signedPayload: "{}", durable: true, now: t0)
        #expect(calls.withLock { $0 } == 1)
        #expect(try ledger.payment(id: second.id)?.status == .sent)
    }

    /// The connection commits without syncing once open, so every write that must survive power
    /// loss syncs the log itself, once, before returning: sessions, approvals (a human may act on
    /// one at once) and reconcile's claims. The status changes after a reservation, the claim
    /// release and the totals' pruning do not. With `synchronousFull` false, nothing does.
    @Test(arguments: [true, false])
    func durableWritesSyncTheLogOnceAndRecoverableOnesNever(_ full: Bool) throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let ledger = try openLedger(dir.file("l.db"), LedgerOptions(synchronousFull: full))
        let calls = Mutex(0)
        ledger.syncLog = { db, p in
            calls.withLock { $0 += 1 }
            try WALSync.sync(db, path: p)
        }
        func syncs(_ body: () throws -> Void) rethrows -> Int {
            let before = calls.withLock { $0 }
            try body()
            return calls.withLock { $0 } - before
        }
        let durable = full ? 1 : 0
        var session = ""
        #expect(try syncs { session = try ledger.startSession(kind: "serve", label: nil, clientName: nil, now: t0).id } == durable)
        #expect(try syncs { try ledger.setClientName(sessionID: session, name: "host") } == durable)
        let token = try Address(parsing: "0x036CbD53842c5426634e7929541eC2318f3dCF7e")
        let terms = ApprovalTerms(host: HostName("api.example.com"), network: "eip155:84532", asset: .evm(token), payTo: .evm(token),
                                  payer: .evm(token), amountAtomic: 10_000)
        let id = NewApproval.newID()
        #expect(try syncs {
            _ = try ledger.createApproval(NewApproval(id: id, sessionID: session, method: "GET", url: "https://api.example.com/w",
                                                      assetSymbol: "USDC", decimals: 6, micros: Micros(10_000), paymentFlow: "authorization",
                                                      terms: terms, expiresAt: t0.addingTimeInterval(600)), now: t0)
        } == durable)
        #expect(try syncs { _ = try ledger.decideApproval(id: id, approve: true, now: t0) } == durable)
        #expect(try syncs {
            _ = try ledger.useApproval(id: id, payment: terms, reference: .eip3009(nonce: try Nonce32(bytes: Array(repeating: 7, count: 32))), now: t0)
        } == durable)
        let first = try ledger.reserve(usdc(session, 10_000, nonce: 1), limits: .none, now: t0)
        let second = try ledger.reserve(usdc(session, 10_000, nonce: 2), limits: .none, now: t0)
        #expect(try syncs { try ledger.markSent(id: first.id, signedPayload: "{}", durable: false, now: t0) } == 0)
        #expect(try syncs { try ledger.markSettled(id: first.id, txHash: nil, httpStatus: 200, receipt: nil, now: t0) } == 0)
        #expect(try syncs { try ledger.markFailed(id: second.id, error: "declined", httpStatus: 402, now: t0) } == 0)
        #expect(try syncs { _ = try ledger.pruneBudgetTotals() } == 0)
        let unresolved = try ledger.reserve(usdc(session, 10_000, nonce: 3), limits: .none, now: t0)
        var claimed: [PaymentRecord] = []
        #expect(try syncs { claimed = try ledger.claimUnresolved(claimant: "r1", lease: 60, now: t0.addingTimeInterval(3_600)) } == durable)
        #expect(claimed.map(\.id) == [unresolved.id])
        #expect(try syncs { try ledger.releaseClaims(claimant: "r1") } == 0)
        // What the hook saw was the real log: the writes are all there for another connection.
        #expect(try openLedger(dir.file("l.db")).approval(id: id)?.status == .used)
    }

    /// A statement that fails inside the transaction rolls it back and leaves the connection
    /// usable: the next write commits (the cached BEGIN and COMMIT of `immediateTransaction`).
    @Test func aFailedWriteRollsBackAndTheNextOneCommits() throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let ledger = try openLedger(dir.file("l.db"))
        let session = try ledger.startSession(kind: "serve", label: nil, clientName: nil, now: t0).id
        let error = ledgerError { () throws(LedgerError) in try ledger.setClientName(sessionID: "nobody", name: "x") }
        #expect(error?.code == "ledger.unknown_session")
        let bad = ledgerError { () throws(LedgerError) in
            try ledger.write { db in
                try db.execute(sql: "UPDATE session SET label = 'half' WHERE id = ?", arguments: [session])
                try db.execute(sql: "INSERT INTO payment (id) VALUES (1)") // NOT NULL columns: fails
            }
        }
        #expect(bad != nil)
        #expect(try ledger.sessions().first?.label == nil, "the first statement was rolled back with the second")
        try ledger.setClientName(sessionID: session, name: "after")
        #expect(try ledger.sessions().first?.clientName == "after")
        _ = try ledger.reserve(usdc(session, 10_000), limits: .none, now: t0)
        #expect(try ledger.payments(PaymentFilter()).count == 1)
    }

    @Test func withSynchronousNormalNothingIsSyncedByHand() throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let ledger = try openLedger(dir.file("l.db"), LedgerOptions(synchronousFull: false))
        let session = try ledger.startSession(kind: "serve", label: nil, clientName: nil, now: t0).id
        let calls = Mutex(0)
        ledger.syncLog = { _, _ in calls.withLock { $0 += 1 } }
        _ = try ledger.reserve(usdc(session, 10_000), limits: .none, now: t0)
        #expect(calls.withLock { $0 } == 0)
    }

    @Test func theSyncFindsTheLogOfALedgerAndRefusesADatabaseWithoutOne() throws {
        let dir = try ScratchDirectory("purse-ledger-tests")
        let ledger = try openLedger(dir.file("l.db"))
        let session = try ledger.startSession(kind: "serve", label: nil, clientName: nil, now: t0).id
        _ = try ledger.reserve(usdc(session, 10_000), limits: .none, now: t0)
        try ledger.dbQueue.writeWithoutTransaction { try WALSync.sync($0, path: "l.db") }
        // A rollback-journal database has no write-ahead log to sync: an error, never a silent pass.
        let plain = try DatabaseQueue(path: dir.file("plain.db"))
        try plain.write { try $0.execute(sql: "CREATE TABLE t (x); INSERT INTO t VALUES (1)") }
        let error = ledgerError { () throws(LedgerError) in
            do { try plain.writeWithoutTransaction { try WALSync.sync($0, path: "plain.db") } } catch let e as LedgerError { throw e } catch {
                Issue.record("unexpected \(error)")
            }
        }
        guard case .database? = error else {
            Issue.record("expected ledger.database, got \(String(describing: error))")
            return
        }
    }
}
