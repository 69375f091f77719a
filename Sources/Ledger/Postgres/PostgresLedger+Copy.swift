import Foundation
import PostgresClient
import PurseCore

/// What `PostgresLedger.copy(from:)` did.
public struct LedgerCopyReport: Sendable, Equatable {
    /// Rows written now, per table.
    public var sessionsCopied = 0, paymentsCopied = 0, approvalsCopied = 0
    /// Rows the target already held, identical to the source's (an earlier copy).
    public var sessionsPresent = 0, paymentsPresent = 0, approvalsPresent = 0

    public init() {}
}

extension PostgresLedger {
    /// Rows per INSERT statement (33 parameters each, well under PostgreSQL's 65,535).
    static let copyBatch = 500

    /// Copies every session, payment and approval of `source` into this ledger, keeping their
    /// ids, in one transaction that holds the budget lock (no reservation interleaves).
    ///
    /// Idempotent: a row whose id the target already holds is left, and must then equal the
    /// source's row exactly (decoded and compared field by field); if one differs the target
    /// holds another history, the whole copy is rolled back and `ledger.copy_conflict` names the
    /// row. Afterwards the payment id sequence continues after the highest id, so new
    /// reservations never reuse a copied id.
    public func copy(from source: any PaymentLedger) throws(LedgerError) -> LedgerCopyReport {
        let sessions = try source.sessions()
        let payments = try source.payments(PaymentFilter()).reversed() as [PaymentRecord]
        let approvals = try source.approvals(pendingOnly: false, now: Date(), limit: nil)
        let location = self.location
        return try transaction(lockBudget: true) { tx in
            var report = LedgerCopyReport()
            // Sessions.
            for batch in Self.chunks(sessions, Self.copyBatch) {
                let columns = ["id", "started_at", "kind", "label", "client_name", "pid", "machine"]
                let values: [[String?]] = batch.map {
                    [$0.id, Self.text(LedgerTime.millis($0.startedAt)), $0.kind, $0.label, $0.clientName, Self.text(Int($0.pid)), $0.machine]
                }
                let inserted = try Self.insert(tx, table: "session", columns: columns, rows: values)
                report.sessionsCopied += inserted
                report.sessionsPresent += batch.count - inserted
                let stored = try tx.query("SELECT * FROM session WHERE id = ANY($1::text[])", [Self.array(batch.map(\.id))])
                var byID: [String: SessionRecord] = [:]
                for row in stored.stored(location: location) {
                    let s = try SessionRowDecoder.record(row, location: location)
                    byID[s.id] = s
                }
                for s in batch where byID[s.id] != s {
                    throw LedgerError.copyConflict(location: location, detail: "session \(s.id) differs from the source's")
                }
            }
            // Payments, oldest first.
            for batch in Self.chunks(payments, Self.copyBatch) {
                let inserted = try Self.insert(tx, table: "payment", columns: ["id", "budget_rev"] + Self.columns,
                                               rows: batch.map { [Self.text($0.id), "2"] + Self.values($0) })
                report.paymentsCopied += inserted
                report.paymentsPresent += batch.count - inserted
                let stored = try self.payments(of: tx.query("SELECT * FROM payment WHERE id = ANY($1::bigint[])",
                                                             [Self.array(batch.map { String($0.id) })]))
                let byID = Dictionary(stored.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                for p in batch where byID[p.id] != p {
                    throw LedgerError.copyConflict(location: location, detail: "payment \(p.id) differs from the source's")
                }
            }
            try tx.query("SELECT setval(pg_get_serial_sequence('payment', 'id'), GREATEST((SELECT max(id) FROM payment), 1))")
            // The copied rows enter the running budget totals (the budget lock is held).
            try tx.execute(PostgresSchema.rebuildTotals)
            // Approvals.
            for batch in Self.chunks(approvals, Self.copyBatch) {
                let columns = ["id", "session_id", "created_at", "expires_at", "status", "decided_at", "used_at", "used_nonce", "method",
                               "url", "host", "network", "asset", "asset_symbol", "decimals", "pay_to", "payer", "amount_atomic", "micros",
                               "payment_flow"]
                let values: [[String?]] = batch.map { a in
                    [a.approval.id, a.approval.sessionID, Self.text(LedgerTime.millis(a.createdAt)), Self.text(LedgerTime.millis(a.approval.expiresAt)),
                     a.status.rawValue, a.decidedAt.map { Self.text(LedgerTime.millis($0)) }, a.usedAt.map { Self.text(LedgerTime.millis($0)) },
                     a.usedNonce, a.approval.method, a.approval.url, a.approval.terms.host.name, a.approval.terms.network,
                     a.approval.terms.asset.text, a.approval.assetSymbol, Self.text(a.approval.decimals), a.approval.terms.payTo.text,
                     a.approval.terms.payer.text, Self.text(a.approval.terms.amountAtomic), Self.text(a.approval.micros.value),
                     a.approval.paymentFlow]
                }
                let inserted = try Self.insert(tx, table: "approval", columns: columns, rows: values)
                report.approvalsCopied += inserted
                report.approvalsPresent += batch.count - inserted
                let stored = try self.approvals(of: tx.query("SELECT * FROM approval WHERE id = ANY($1::text[])",
                                                             [Self.array(batch.map(\.approval.id))]))
                let byID = Dictionary(stored.map { ($0.approval.id, $0) }, uniquingKeysWith: { a, _ in a })
                for a in batch where byID[a.approval.id] != a {
                    throw LedgerError.copyConflict(location: location, detail: "approval \(a.approval.id) differs from the source's")
                }
            }
            return report
        }
    }

    /// One multi-row `INSERT … ON CONFLICT (id) DO NOTHING`; returns how many rows it wrote.
    private static func insert(_ tx: PostgresTransaction, table: String, columns: [String], rows: [[String?]]) throws -> Int {
        guard !rows.isEmpty else { return 0 }
        var params: [String?] = []
        params.reserveCapacity(rows.count * columns.count)
        var tuples: [String] = []
        for row in rows {
            let first = params.count
            params.append(contentsOf: row)
            tuples.append("(" + (1...row.count).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
        }
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES " + tuples.joined(separator: ", ") + " ON CONFLICT (id) DO NOTHING"
        return try tx.query(sql, params).affectedRows ?? 0
    }

    /// A PostgreSQL array literal of plain ids (letters, digits, `_`: nothing to quote).
    private static func array(_ items: [String]) -> String { "{" + items.joined(separator: ",") + "}" }

    private static func chunks<T>(_ items: [T], _ size: Int) -> [ArraySlice<T>] {
        stride(from: 0, to: items.count, by: size).map { items[$0..<min($0 + size, items.count)] }
    }
}
