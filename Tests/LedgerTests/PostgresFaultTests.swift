import Foundation
import PostgresClient
import PurseCore
import PurseTesting
import Testing
@testable import Ledger

/// PostgreSQL faults the ledger reports with stable codes, and recovers from.
@Suite(.enabled(if: LedgerBackend.tested.contains(.postgresql)))
struct PostgresFaultTests {
    /// Another session holds the budget lock; a reservation waiting past its statement timeout
    /// is `ledger.timeout`, writes nothing, and the next one after the holder is done succeeds.
    @Test func aStatementTimeoutIsCodedAndWritesNothing() throws {
        let fixture = try LedgerFixture(.postgresql)
        let impatient = try PostgresLedger(url: fixture.location.replacingOccurrences(of: "options=", with: "options=-c%20statement_timeout%3D300%20"),
                                           password: nil)
        let session = try impatient.startSession(kind: "fetch", label: nil, clientName: nil, now: t0).id
        let holder = try PostgresConnection.open(url: fixture.location, password: nil)
        try holder.execute("BEGIN; SELECT id FROM budget_lock WHERE id = 1 FOR UPDATE")
        let e = reserveError { () throws(LedgerReserveError) in try impatient.reserve(usdc(session, 1), limits: .none, now: t0) }
        #expect(e?.code == "ledger.timeout", "\(String(describing: e))")
        try holder.execute("ROLLBACK")
        #expect(try impatient.payments(PaymentFilter()).isEmpty)
        _ = try impatient.reserve(usdc(session, 1), limits: .none, now: t0)
        #expect(try impatient.payments(PaymentFilter()).count == 1)
    }

    /// The server ends the ledger's connection (a restart, an idle timeout, an operator): the
    /// next call connects again and goes through; nothing is lost or doubled.
    @Test func aTerminatedConnectionIsReplacedOnTheNextCall() throws {
        let fixture = try LedgerFixture(.postgresql)
        // A name of its own, so that only this ledger's connection is ended (tests run in parallel).
        let name = "victim_" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let ledger = try PostgresLedger(url: fixture.location + "&application_name=\(name)", password: nil)
        let session = try ledger.startSession(kind: "fetch", label: nil, clientName: nil, now: t0).id
        let first = try ledger.reserve(usdc(session, 1), limits: .none, now: t0)
        let admin = try PostgresConnection.open(url: fixture.location, password: nil)
        let killed = try admin.query("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE application_name = '\(name)'
            """).scalar
        #expect((Int(killed ?? "0") ?? 0) >= 1)
        try ledger.markSent(id: first.id, now: t0)
        let second = try ledger.reserve(usdc(session, 2), limits: .none, now: t0)
        #expect(second.id > first.id)
        #expect(try ledger.payments(PaymentFilter()).map(\.status) == [.reserved, .sent])
    }

    /// Nothing listens there: `ledger.unavailable`, with the URL as given and no password.
    @Test func aServerThatIsDownAtStartIsUnavailable() {
        let e = ledgerError { () throws(LedgerError) in
            _ = try PostgresLedger(url: "postgresql://purse@127.0.0.1:1/purse?connect_timeout=2", password: "Sekrit-Pw-42")
        }
        #expect(e?.code == "ledger.unavailable")
        #expect(e?.message.contains("postgresql://purse@127.0.0.1:1/purse") == true)
        #expect(e?.message.contains("Sekrit-Pw-42") == false)
    }
}
