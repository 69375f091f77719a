import Foundation
import PostgresClient

extension PostgresLedger {
    /// The PostgreSQL answer to `PaymentLedger.health()`: the newest applied migration, a
    /// consistency check of what the ledger itself relies on (the budget lock row exists, no
    /// payment belongs to a missing session, no amount is negative and every status is known (the
    /// table's CHECK constraints were dropped for speed: this is where they are checked), the running budget totals
    /// equal the payments' sums), and a write transaction
    /// that takes the budget lock (proving reservations can run) and writes nothing.
    public func health() throws(LedgerError) -> LedgerHealth {
        let applied = Set(try read("SELECT id FROM purse_migration").rows.compactMap { $0[0] })
        let checks = try read("""
            SELECT (SELECT count(*) FROM budget_lock WHERE id = 1),
                   (SELECT count(*) FROM payment p WHERE NOT EXISTS (SELECT 1 FROM session s WHERE s.id = p.session_id)),
                   (SELECT count(*) FROM payment WHERE micros < 0 OR amount_atomic < 0 OR max_amount_atomic < 0 OR decimals NOT BETWEEN 0 AND 36
                       OR status NOT IN ('reserved', 'sent', 'settled', 'failed', 'unknown')
                       OR (amount_source IS NOT NULL AND amount_source NOT IN ('receipt', 'chain', 'maximum'))),
                   \(BudgetTotalsSQL.totalsDrift)
            """)
        var findings: [String] = []
        let row = checks.rows.first ?? []
        if row.count == 5 {
            if row[0] != "1" { findings.append("the budget lock row is missing") }
            if let n = row[1], n != "0" { findings.append("\(n) payments name a missing session") }
            if let n = row[2], n != "0" { findings.append("\(n) payments have a negative amount, decimals outside 0…36 or an unknown status") }
            if let n = row[3], n != "0" { findings.append("\(n) per-minute budget totals differ from the payments") }
            if let n = row[4], n != "0" { findings.append("\(n) sessions' budget totals differ from their payments") }
        } else {
            findings.append("the consistency query answered nothing")
        }
        let writable: Bool
        do {
            try transaction(lockBudget: true) { _ in }
            writable = true
        } catch {
            writable = false
        }
        return LedgerHealth(
            backend: "postgresql",
            schemaVersion: SQLiteLedger.newest(applied) ?? "none",
            latestSchemaVersion: PostgresSchema.latest,
            integrityOK: findings.isEmpty,
            integrity: findings.isEmpty ? "ok" : findings.joined(separator: "; "),
            writable: writable)
    }
}

extension PostgresLedger {
    /// `PaymentLedger.pruneBudgetTotals`, without the budget lock: the minutes it deletes are
    /// outside every reservation's window, and it locks only the rows it deletes.
    public func pruneBudgetTotals() throws(LedgerError) -> Int {
        try transaction { tx in try tx.query(BudgetTotalsSQL.prune).affectedRows ?? 0 }
    }
}
