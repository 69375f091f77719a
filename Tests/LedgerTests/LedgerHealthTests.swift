import Foundation
import PurseCore
import PurseTesting
import Testing
@testable import Ledger

/// `health()`, behind `purse doctor`: schema version, integrity and writability, no row written.
@Suite struct LedgerHealthTests {
    @Test(arguments: LedgerBackend.tested)
    func aFreshLedgerIsCurrentIntactAndWritable(_ backend: LedgerBackend) throws {
        let fixture = try LedgerFixture(backend)
        let ledger = fixture.ledger
        let health = try ledger.health()
        let latest = try #require(backend == .sqlite ? SQLiteLedger.newest(SQLiteSchema.known) : PostgresSchema.latest)
        #expect(health == LedgerHealth(backend: backend == .sqlite ? "sqlite" : "postgresql", schemaVersion: latest, latestSchemaVersion: latest,
                                       integrityOK: true, integrity: "ok", writable: true))
        #expect(try ledger.sessions().isEmpty, "health writes nothing")
    }

    @Test func newestSortsVersionsNumerically() {
        #expect(SQLiteLedger.newest(["v1", "v2", "v10", "v9"]) == "v10")
        #expect(SQLiteLedger.newest([]) == nil)
    }
}
