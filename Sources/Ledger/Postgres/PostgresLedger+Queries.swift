import Foundation
import PurseCore

extension PostgresLedger {
    public func unconfirmedCharges() throws(LedgerError) -> [PaymentRecord] {
        try payments(of: read("SELECT * FROM payment WHERE status = 'settled' AND amount_source = 'maximum' ORDER BY created_at, id"))
    }

    public func unresolved() throws(LedgerError) -> [PaymentRecord] {
        try payments(of: read(Self.unresolvedSQL))
    }

    /// Claims with `FOR UPDATE SKIP LOCKED`: rows another reconcile is claiming at this moment
    /// are skipped rather than waited for, and rows it claimed earlier carry its lease.
    public func claimUnresolved(claimant: String, lease: TimeInterval, now: Date) throws(LedgerError) -> [PaymentRecord] {
        let nowMs = LedgerTime.millis(now), until = LedgerTime.millis(now.addingTimeInterval(lease))
        let rows = try withConnection { conn in
            try conn.transaction { tx in
                try tx.query(Self.claimSQL, [claimant, Self.text(until), Self.text(nowMs)])
            }
        }
        return try payments(of: rows).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func releaseClaims(claimant: String) throws(LedgerError) {
        try transaction { tx in
            try tx.query(Self.releaseClaimsSQL, [claimant])
        }
    }

    public func failedButStillValid(notBefore: Int64) throws(LedgerError) -> [PaymentRecord] {
        try payments(of: read(Self.failedButStillValidSQL, [Self.text(notBefore)]))
    }

    public func paidResource(payer: Address, resource: String) throws(LedgerError) -> PaymentRecord? {
        try payments(of: read(Self.paidResourceSQL, [resource, payer.checksummed])).first
    }

    public func payment(id: Int64) throws(LedgerError) -> PaymentRecord? {
        try payments(of: read("SELECT * FROM payment WHERE id = $1", [Self.text(id)])).first
    }

    public func payments(_ filter: PaymentFilter) throws(LedgerError) -> [PaymentRecord] {
        var conditions: [String] = []
        var params: [String?] = []
        func add(_ condition: String, _ value: String) {
            params.append(value)
            conditions.append(condition.replacingOccurrences(of: "?", with: "$\(params.count)"))
        }
        if let since = filter.since { add("created_at >= ?", Self.text(LedgerTime.millis(since))) }
        if let s = filter.sessionID { add("session_id = ?", s) }
        if let h = filter.host { add("host = ?", h.name) }
        if let st = filter.status { add("status = ?", st.rawValue) }
        var sql = "SELECT * FROM payment"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY created_at DESC, id DESC"
        if let limit = filter.limit {
            params.append(Self.text(max(0, limit)))
            sql += " LIMIT $\(params.count)"
        }
        return try payments(of: read(sql, params))
    }
}

extension PostgresLedger {
    // The look-ups each partial index of migration v3 serves; `LedgerOpenTests` checks that
    // PostgreSQL can plan each through its index (the planner must prove the query implies the
    // index's condition), so a reworded query cannot fall back to a scan.
    static let unresolvedSQL = "SELECT * FROM payment WHERE \(PaymentIndexSQL.openRows) ORDER BY created_at, id"
    static let claimSQL = """
        UPDATE payment SET claimed_by = $1, claimed_until = $2
        WHERE id IN (SELECT id FROM payment WHERE \(PaymentIndexSQL.openRows)
                         AND (claimed_until IS NULL OR claimed_until <= $3 OR claimed_by = $1)
                     FOR UPDATE SKIP LOCKED)
        RETURNING *
        """
    static let releaseClaimsSQL = "UPDATE payment SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1"
    static let failedButStillValidSQL = "SELECT * FROM payment WHERE status = 'failed' AND valid_before > $1 ORDER BY created_at, id"
    static let paidResourceSQL = """
        SELECT * FROM payment WHERE resource = $1 AND payer = $2 AND status = 'settled' ORDER BY created_at DESC, id DESC LIMIT 1
        """
}
