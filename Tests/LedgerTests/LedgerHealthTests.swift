import Foundation
import PurseCore
import Testing
@testable import Ledger

/// `health()`, behind `purse doctor`: schema version, integrity and writability, no row written.
@Suite struct LedgerHealthTests {
    @Test func aFreshLedgerIsCurrentIntactAndWritable() throws {
        let dir = TempDir()
        let ledger = try openLedger(dir.file("purse.db"))
        let health = try ledger.health()
        let latest = try #require(SQLiteLedger.newest(SQLiteSchema.known))
        #expect(health == LedgerHealth(backend: "sqlite", schemaVersion: latest, latestSchemaVersion: latest, integrityOK: true, integrity: "ok", writable: true))
        #expect(try ledger.sessions().isEmpty, "health writes nothing")
    }

    @Test func newestSortsVersionsNumerically() {
        #expect(SQLiteLedger.newest(["v1", "v2", "v10", "v9"]) == "v10")
        #expect(SQLiteLedger.newest([]) == nil)
    }
}
