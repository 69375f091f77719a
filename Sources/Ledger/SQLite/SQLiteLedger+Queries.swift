import Foundation
import GRDB
import PurseCore

extension SQLiteLedger {
    public func usage(sessionID: String, host: HostName?, allHosts: Bool, now: Date) throws(LedgerError) -> BudgetUsage {
        let windowStart = Self.millis(now) - Self.dayMillis
        return try read { db in try Self.usage(db, sessionID: sessionID, host: host, allHosts: allHosts, windowStart: windowStart).0 }
    }

    public func unresolved() throws(LedgerError) -> [PaymentRecord] {
        try read { db in
            try paymentRows(db, Self.unresolvedSQL)
        }
    }

    public func claimUnresolved(claimant: String, lease: TimeInterval, now: Date) throws(LedgerError) -> [PaymentRecord] {
        let nowMs = Self.millis(now), until = Self.millis(now.addingTimeInterval(lease))
        return try write { db in
            let rows = try paymentRows(db, Self.claimableSQL, [nowMs, claimant])
            for r in rows {
                try db.execute(sql: "UPDATE payment SET claimed_by = ?, claimed_until = ? WHERE id = ?", arguments: [claimant, until, r.id])
            }
            return rows
        }
    }

    public func releaseClaims(claimant: String) throws(LedgerError) {
        try writeRecoverable { db in
            try db.execute(sql: Self.releaseClaimsSQL, arguments: [claimant])
        }
    }

    public func failedButStillValid(notBefore: Int64) throws(LedgerError) -> [PaymentRecord] {
        try read { db in
            try paymentRows(db, Self.failedButStillValidSQL, [notBefore])
        }
    }

    public func paidResource(payer: Address, resource: String) throws(LedgerError) -> PaymentRecord? {
        try read { db in
            try paymentRows(db, Self.paidResourceSQL, [resource, payer.checksummed]).first
        }
    }

    public func payment(id: Int64) throws(LedgerError) -> PaymentRecord? {
        try read { db in try paymentRows(db, "SELECT * FROM payment WHERE id = ?", [id]).first }
    }

    public func payments(_ filter: PaymentFilter) throws(LedgerError) -> [PaymentRecord] {
        var request = PaymentRecord.all()
        if let since = filter.since { request = request.filter(Column("created_at") >= Self.millis(since)) }
        if let s = filter.sessionID { request = request.filter(Column("session_id") == s) }
        if let h = filter.host { request = request.filter(Column("host") == h.name) }
        if let st = filter.status { request = request.filter(Column("status") == st.rawValue) }
        request = request.order(Column("created_at").desc, Column("id").desc)
        if let limit = filter.limit { request = request.limit(max(0, limit)) }
        // One decoder for the whole read: column indexes found once, addresses parsed once.
        return try read { [request] db in
            var decoder = PaymentRowDecoder(location: path)
            var out: [PaymentRecord] = []
            let rows = try Row.fetchCursor(db, request)
            while let row = try rows.next() { out.append(try decoder.record(row)) }
            return out
        }
    }
}

extension SQLiteLedger {
    // The look-ups each partial index of migration v9 serves; `LedgerOpenTests` checks that
    // SQLite plans each through its index, so a reworded query cannot fall back to a scan.
    static let unresolvedSQL = "SELECT * FROM payment WHERE \(PaymentIndexSQL.openRows) ORDER BY created_at, id"
    static let claimableSQL = """
        SELECT * FROM payment WHERE \(PaymentIndexSQL.openRows)
            AND (claimed_until IS NULL OR claimed_until <= ? OR claimed_by = ?) ORDER BY created_at, id
        """
    static let releaseClaimsSQL = "UPDATE payment SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?"
    static let failedButStillValidSQL = "SELECT * FROM payment WHERE status = 'failed' AND valid_before > ? ORDER BY created_at, id"
    static let paidResourceSQL = """
        SELECT * FROM payment WHERE resource = ? AND payer = ? AND status = 'settled' ORDER BY created_at DESC, id DESC LIMIT 1
        """
}
