import GRDB

extension SQLiteLedger {
    /// The SQLite answer to `PaymentLedger.health()`: the newest applied migration id, `PRAGMA
    /// integrity_check` (the full check, not the `quick_check` run on open: doctor can afford
    /// it), the running budget totals against the payments' sums, and an empty `BEGIN IMMEDIATE`
    /// transaction.
    public func health() throws(LedgerError) -> LedgerHealth {
        let (applied, integrity, drift) = try read { db in
            (try SQLiteSchema.migrator.appliedIdentifiers(db), try String.fetchAll(db, sql: "PRAGMA integrity_check(10)"),
             try Row.fetchOne(db, sql: "SELECT \(BudgetTotalsSQL.totalsDrift)"))
        }
        var findings = integrity == ["ok"] ? [] : integrity
        if let drift {
            if let n = drift[0] as Int64?, n != 0 { findings.append("\(n) per-minute budget totals differ from the payments") }
            if let n = drift[1] as Int64?, n != 0 { findings.append("\(n) sessions' budget totals differ from their payments") }
        }
        let writable: Bool
        do {
            try write { _ in }
            writable = true
        } catch {
            writable = false
        }
        let ok = findings.isEmpty
        return LedgerHealth(
            backend: "sqlite",
            schemaVersion: Self.newest(applied) ?? "none",
            latestSchemaVersion: Self.newest(SQLiteSchema.known) ?? "none",
            integrityOK: ok,
            integrity: ok ? "ok" : findings.prefix(3).joined(separator: "; "),
            writable: writable)
    }

    /// The highest `vN` id (numerically, so that v10 follows v9).
    static func newest(_ ids: Set<String>) -> String? {
        ids.max { (Int($0.dropFirst()) ?? 0) < (Int($1.dropFirst()) ?? 0) }
    }
}

extension SQLiteLedger {
    /// `PaymentLedger.pruneBudgetTotals`: one recoverable write (losing it loses nothing).
    public func pruneBudgetTotals() throws(LedgerError) -> Int {
        try writeRecoverable { db in
            try db.execute(sql: BudgetTotalsSQL.prune)
            return db.changesCount
        }
    }
}
