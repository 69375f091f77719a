import Foundation
import PostgresClient
import PurseCore
import PurseTesting
import Testing
@testable import Ledger

/// The budget sums a reservation checks must equal the sums of the rows, whatever moved them:
/// PostgreSQL reads them from running totals (per host and minute, per session) kept in the
/// transactions that change rows, SQLite in triggers (migration v8). Both are held to the rows here.
@Suite struct BudgetTotalsTests {
    let h1 = HostName("api.example.com"), h2 = HostName("data.example.org")

    /// The usage recomputed from every row, as the budget defines it.
    func expected(_ rows: [PaymentRecord], session: String, host: HostName, now: Date) -> BudgetUsage {
        let windowStart = LedgerTime.millis(now) - LedgerTime.dayMillis
        func sum(_ keep: (PaymentRecord) -> Bool) -> Micros { Micros(rows.filter(keep).reduce(0) { $0 + $1.micros.value }) }
        let inWindow = { (r: PaymentRecord) in r.status.counts && LedgerTime.millis(r.createdAt) > windowStart }
        return BudgetUsage(sessionID: session,
                           sessionSpent: sum { $0.payment.sessionID == session && $0.status.counts },
                           dailySpent: sum(inWindow),
                           hostDailySpent: [host: sum { inWindow($0) && $0.host == host }],
                           sessionPending: sum { $0.payment.sessionID == session && $0.status.isPending })
    }

    /// Compares the ledger's usage with the rows' at several instants (the window's edge inside
    /// a minute included) for both sessions and hosts, and asks `health` for its verdict.
    func check(_ ledger: any PaymentLedger, sessions: [String], step: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let rows = try ledger.payments(PaymentFilter())
        for now in [t0, t0.addingTimeInterval(86_399.5), t0.addingTimeInterval(86_430), t0.addingTimeInterval(86_500), t0.addingTimeInterval(200_000)] {
            for session in sessions {
                for host in [h1, h2] {
                    let got = try ledger.usage(sessionID: session, host: host, allHosts: false, now: now)
                    #expect(got == expected(rows, session: session, host: host, now: now), "after \(step), at \(now)", sourceLocation: sourceLocation)
                }
            }
        }
        let health = try ledger.health()
        #expect(health.integrityOK, "after \(step): \(health.integrity)", sourceLocation: sourceLocation)
    }

    @Test(arguments: LedgerBackend.tested)
    func totalsFollowEveryChangeOfStatusAndAmount(_ backend: LedgerBackend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = fixture.ledger
        let a = try ledger.startSession(kind: "serve", label: "a", clientName: nil, now: t0).id
        let b = try ledger.startSession(kind: "serve", label: "b", clientName: nil, now: t0).id
        var upto = usdc(a, 50_000, host: h2.name, nonce: 9)
        upto.scheme = "upto"
        upto.maxAmountAtomic = 50_000
        // Rows in several minutes, both sessions and hosts; t0 sits 40 s into its minute.
        let r1 = try ledger.reserve(usdc(a, 10_000, nonce: 1), limits: .none, now: t0)
        let r2 = try ledger.reserve(usdc(a, 20_000, host: h2.name, nonce: 2), limits: .none, now: t0.addingTimeInterval(30))
        let r3 = try ledger.reserve(usdc(b, 30_000, nonce: 3), limits: .none, now: t0.addingTimeInterval(90))
        let r4 = try ledger.reserve(upto, limits: .none, now: t0.addingTimeInterval(3_600))
        let r5 = try ledger.reserve(usdc(b, 5_000, host: h2.name, nonce: 5), limits: .none, now: t0.addingTimeInterval(86_450))
        try check(ledger, sessions: [a, b], step: "five reservations")
        try ledger.markSent(id: r1.id, now: t0)
        try ledger.markSettled(id: r1.id, txHash: "0x01", httpStatus: 200, receipt: nil, now: t0)
        try check(ledger, sessions: [a, b], step: "settled")
        try ledger.markFailed(id: r2.id, error: "refused", httpStatus: 402, now: t0)
        try check(ledger, sessions: [a, b], step: "failed")
        try ledger.markSent(id: r3.id, now: t0)
        try ledger.markUnknown(id: r3.id, error: "no answer", httpStatus: nil, txHash: nil, now: t0)
        try check(ledger, sessions: [a, b], step: "unknown")
        try ledger.markSettledByChain(id: r2.id, txHash: "0x02", now: t0)
        try check(ledger, sessions: [a, b], step: "a released row found on chain")
        try ledger.markSent(id: r4.id, now: t0)
        try ledger.markSettled(id: r4.id, charge: SettledCharge(atomic: 12_300, micros: Micros(12_300), source: .receipt), txHash: "0x04",
                               httpStatus: 200, receipt: nil, now: t0)
        try check(ledger, sessions: [a, b], step: "a metered charge below its maximum")
        try ledger.markSettledByChain(id: r4.id, charge: SettledCharge(atomic: 40_000, micros: Micros(40_000), source: .chain), txHash: "0x04", now: t0)
        try check(ledger, sessions: [a, b], step: "the chain's larger charge")
        try ledger.markFailed(id: r3.id, error: "gone", httpStatus: nil, now: t0)
        try ledger.markFailed(id: r5.id, error: "refused", httpStatus: 402, now: t0)
        try check(ledger, sessions: [a, b], step: "every row of session b released")
    }

    /// A reservation is refused by the totals exactly at the limit, on the edge minute too: a
    /// row 1 s inside the window and in the window's first minute still counts.
    @Test(arguments: LedgerBackend.tested)
    func theWindowsEdgeMinuteCountsByTheMillisecond(_ backend: LedgerBackend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = fixture.ledger
        let s = try ledger.startSession(kind: "serve", label: nil, clientName: nil, now: t0).id
        let limits = BudgetLimits(daily: Micros(10_000))
        _ = try ledger.reserve(usdc(s, 6_000, nonce: 1), limits: limits, now: t0)
        _ = try ledger.reserve(usdc(s, 4_000, nonce: 2), limits: limits, now: t0.addingTimeInterval(0.002))
        let edge = t0.addingTimeInterval(86_400.001) // the window starts 1 ms after the first row, in the same minute
        #expect(try ledger.usage(sessionID: s, host: nil, allHosts: false, now: edge).dailySpent == Micros(4_000))
        #expect(reserveError { () throws(LedgerReserveError) in try ledger.reserve(usdc(s, 6_001, nonce: 3), limits: limits, now: edge) }?.code
            == "budget.daily_exceeded")
        _ = try ledger.reserve(usdc(s, 6_000, nonce: 4), limits: limits, now: edge)
    }

    /// A ledger made by a build before the totals gets them on upgrade, equal to its rows, and
    /// a writer that does not keep them (an older build still running) can no longer reserve.
    @Test(.enabled(if: LedgerBackend.tested.contains(.postgresql)))
    func anUpgradedLedgerStartsWithItsTotalsAndFencesOutOlderWriters() throws {
        let scratch = try ScratchSchema(base: try #require(TestCluster.url))
        defer { withExtendedLifetime(scratch) {} } // Dropped only when the test is over.
        let admin = scratch.admin
        try admin.execute("SET search_path TO \(scratch.name)")
        try admin.execute(PostgresSchema.bookkeeping)
        try admin.execute(PostgresSchema.migrations[0].sql)
        try admin.execute("INSERT INTO purse_migration (id, applied_at) VALUES ('v1', 0)")
        let start = LedgerTime.millis(t0)
        try admin.execute("INSERT INTO session (id, started_at, kind, pid) VALUES ('s_old', \(start), 'serve', 1)")
        let v1Insert = { (id: Int, micros: Int, status: String, offset: Int64) in
            """
            INSERT INTO payment (id, session_id, created_at, updated_at, method, url, host, network, asset, asset_symbol, decimals, pay_to,
                amount_atomic, micros, scheme, x402_version, nonce, valid_before, status, payer)
            VALUES (\(id), 's_old', \(start + offset), \(start + offset), 'GET', 'https://api.example.com/x', 'api.example.com', 'eip155:84532',
                '0x036CbD53842c5426634e7929541eC2318f3dCF7e', 'USDC', 6, '0x209693Bc6afc0C5328bA36FaF03C514EF312287C', \(micros), \(micros),
                'exact', 2, '0x\(String(repeating: "0", count: 62))\(String(format: "%02x", id))', 0, '\(status)',
                '0x857b06519E91e3A54538791bDbb0E22373e36b66')
            """
        }
        try admin.execute(v1Insert(1, 10_000, "settled", 0) + "; " + v1Insert(2, 7_000, "failed", 61_000) + "; "
                          + v1Insert(3, 3_000, "sent", 125_000))
        try admin.execute("SELECT setval(pg_get_serial_sequence('payment', 'id'), 3)")
        let ledger = try PostgresLedger(url: scratch.url, password: nil)
        defer { ledger.close() }
        let usage = try ledger.usage(sessionID: "s_old", host: h1, allHosts: false, now: t0.addingTimeInterval(600))
        #expect(usage.sessionSpent == Micros(13_000) && usage.sessionPending == Micros(3_000))
        #expect(usage.dailySpent == Micros(13_000) && usage.hostSpent(h1) == Micros(13_000))
        #expect(try ledger.health().integrityOK)
        let e = try #require(throws: PostgresError.self) { try admin.execute(v1Insert(4, 1, "reserved", 0)) }
        #expect(e.sqlState == "23502", "an INSERT that names no budget_rev violates NOT NULL")
        let next = try ledger.reserve(usdc("s_old", 1_000, nonce: 9), limits: BudgetLimits(daily: Micros(14_000)), now: t0.addingTimeInterval(600))
        #expect(next.id == 4)
        #expect(reserveError { () throws(LedgerReserveError) in
            try ledger.reserve(usdc("s_old", 1, nonce: 10), limits: BudgetLimits(daily: Micros(14_000)), now: t0.addingTimeInterval(600))
        }?.code == "budget.daily_exceeded")
    }

    /// The totals of minutes a week older than the newest are pruned (reconcile does it after
    /// each pass): the budget of now and `health` are unchanged, and an old payment that changes
    /// later writes its minute's total again, which `health` leaves alone and the next prune removes.
    @Test(arguments: LedgerBackend.tested)
    func oldMinuteTotalsArePrunedAndTheBudgetIsUnchanged(_ backend: LedgerBackend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = fixture.ledger
        let a = try ledger.startSession(kind: "serve", label: "a", clientName: nil, now: t0).id
        let late = t0.addingTimeInterval(TimeInterval(BudgetTotalsSQL.keptMinutes * 60 + 3_600))
        let old = try ledger.reserve(usdc(a, 10_000, nonce: 1), limits: .none, now: t0)
        _ = try ledger.reserve(usdc(a, 20_000, host: h2.name, nonce: 2), limits: .none, now: t0.addingTimeInterval(120))
        _ = try ledger.reserve(usdc(a, 3_000, nonce: 3), limits: .none, now: late)
        _ = try ledger.reserve(usdc(a, 4_000, host: h2.name, nonce: 4), limits: .none, now: late.addingTimeInterval(60))
        let now = late.addingTimeInterval(120)
        let before = try [h1, h2].map { try ledger.usage(sessionID: a, host: $0, allHosts: false, now: now) }
        #expect(try ledger.pruneBudgetTotals() == 2)
        #expect(try ledger.pruneBudgetTotals() == 0)
        let rows = try ledger.payments(PaymentFilter())
        for (host, usage) in zip([h1, h2], before) {
            let got = try ledger.usage(sessionID: a, host: host, allHosts: false, now: now)
            #expect(got == usage)
            #expect(got == expected(rows, session: a, host: host, now: now))
        }
        #expect(try ledger.health().integrityOK)
        try ledger.markFailed(id: old.id, error: "released", httpStatus: nil, now: late)
        let health = try ledger.health()
        #expect(health.integrityOK, "\(health.integrity)")
        #expect(try ledger.pruneBudgetTotals() == 1)
    }

    /// A SQLite ledger made before the totals (migration v8) gets them on upgrade, equal to its
    /// rows, and its triggers keep them from then on; totals that drift (a hand edit) are
    /// reported by `health`.
    @Test func anUpgradedSQLiteLedgerStartsWithItsTotalsAndHealthSeesDrift() throws {
        let fixture = try LedgerFixture(.sqlite)
        let ledger = fixture.ledger
        let a = try ledger.startSession(kind: "serve", label: "a", clientName: nil, now: t0).id
        let b = try ledger.startSession(kind: "serve", label: "b", clientName: nil, now: t0).id
        var paid = usdc(a, 10_000, nonce: 1)
        paid.resource = "https://api.example.com/weather"
        let r1 = try ledger.reserve(paid, limits: .none, now: t0)
        let r2 = try ledger.reserve(usdc(b, 7_000, host: h2.name, nonce: 2), limits: .none, now: t0.addingTimeInterval(61))
        let r3 = try ledger.reserve(usdc(a, 3_000, host: h2.name, nonce: 3), limits: .none, now: t0.addingTimeInterval(125))
        try ledger.markSent(id: r1.id, now: t0)
        try ledger.markSettled(id: r1.id, txHash: "0x01", httpStatus: 200, receipt: nil, now: t0)
        try ledger.markFailed(id: r2.id, error: "refused", httpStatus: 402, now: t0)
        // Back to v7: the totals, their triggers, v7's indexes (before v9 slimmed them) and the
        // two migrations' records gone, the rows kept.
        try fixture.executeRaw("""
            DROP TRIGGER budget_minute_insert; DROP TRIGGER budget_minute_update; DROP TRIGGER budget_minute_delete;
            DROP TRIGGER session_totals_insert; DROP TRIGGER session_totals_update; DROP TRIGGER session_totals_delete;
            DROP TABLE budget_minute; ALTER TABLE session DROP COLUMN spent_micros; ALTER TABLE session DROP COLUMN pending_micros;
            DROP INDEX payment_created_at; DROP INDEX payment_session_id; DROP INDEX payment_open; DROP INDEX payment_failed;
            DROP INDEX payment_paid_resource; DROP INDEX payment_claimed;
            CREATE INDEX payment_created_at ON payment(created_at, status, micros);
            CREATE INDEX payment_session_id ON payment(session_id, status, micros);
            CREATE INDEX payment_host_created_at ON payment(host, created_at, status, micros);
            CREATE INDEX payment_status ON payment(status);
            CREATE INDEX payment_resource ON payment(resource, payer, status);
            DELETE FROM grdb_migrations WHERE identifier IN ('v8', 'v9', 'v10')
            """)
        let upgraded = try fixture.another()
        try check(upgraded, sessions: [a, b], step: "the upgrade")
        // v9's look-ups answer as before on the upgraded file.
        #expect(try upgraded.unresolved().map(\.id) == [r3.id])
        #expect(try upgraded.paidResource(payer: paid.payer.evmAddress!, resource: "https://api.example.com/weather")?.id == r1.id)
        #expect(try upgraded.failedButStillValid(notBefore: 0).map(\.id) == [r2.id])
        _ = try upgraded.reserve(usdc(b, 2_000, nonce: 4), limits: .none, now: t0.addingTimeInterval(200))
        try check(upgraded, sessions: [a, b], step: "a reservation after the upgrade")
        try fixture.executeRaw("UPDATE budget_minute SET micros = micros - 1 WHERE minute = (SELECT min(minute) FROM budget_minute)")
        try fixture.executeRaw("UPDATE session SET pending_micros = 0 WHERE id = '\(a)'")
        let health = try upgraded.health()
        #expect(!health.integrityOK)
        #expect(health.integrity.contains("1 per-minute budget totals differ") && health.integrity.contains("1 sessions' budget totals differ"))
    }

    /// Totals that drifted from the rows (a hand edit) are reported by `health`, which `purse
    /// doctor` shows.
    @Test(.enabled(if: LedgerBackend.tested.contains(.postgresql)))
    func driftedTotalsAreReported() throws {
        let fixture = try LedgerFixture(.postgresql)
        let s = try fixture.ledger.startSession(kind: "serve", label: nil, clientName: nil, now: t0).id
        _ = try fixture.ledger.reserve(usdc(s, 1_000), limits: .none, now: t0)
        #expect(try fixture.ledger.health().integrityOK)
        try fixture.executeRaw("UPDATE budget_minute SET micros = micros - 1")
        try fixture.executeRaw("UPDATE session SET pending_micros = 0")
        let health = try fixture.ledger.health()
        #expect(!health.integrityOK)
        #expect(health.integrity.contains("1 per-minute budget totals differ") && health.integrity.contains("1 sessions' budget totals differ"))
        // What the dropped CHECK constraints used to refuse is reported instead.
        try fixture.executeRaw("UPDATE payment SET status = 'bogus', decimals = 99")
        #expect(try fixture.ledger.health().integrity.contains("1 payments have a negative amount, decimals outside 0…36 or an unknown status"))
    }
}
