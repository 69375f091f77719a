import Foundation
import GRDB
import PurseCore

extension SQLiteLedger {
    public func usage(sessionID: String, host: HostName?, allHosts: Bool, now: Date) throws(LedgerError) -> BudgetUsage {
        let windowStart = Self.millis(now) - Self.dayMillis
        return try read { db in try Self.usage(db, sessionID: sessionID, host: host, allHosts: allHosts, windowStart: windowStart) }
    }

    public func unresolved() throws(LedgerError) -> [PaymentRecord] {
        try read { db in
            try PaymentRecord.fetchAll(db, sql: "SELECT * FROM payment WHERE status IN ('reserved', 'sent', 'unknown') ORDER BY created_at, id")
        }
    }

    public func failedButStillValid(notBefore: Int64) throws(LedgerError) -> [PaymentRecord] {
        try read { db in
            try PaymentRecord.fetchAll(db, sql: "SELECT * FROM payment WHERE status = 'failed' AND valid_before > ? ORDER BY created_at, id",
                                       arguments: [notBefore])
        }
    }

    public func paidResource(payer: Address, resource: String) throws(LedgerError) -> PaymentRecord? {
        try read { db in
            try PaymentRecord.fetchOne(db, sql: """
                SELECT * FROM payment WHERE resource = ? AND payer = ? AND status = 'settled' ORDER BY created_at DESC, id DESC LIMIT 1
                """, arguments: [resource, payer.checksummed])
        }
    }

    public func payment(id: Int64) throws(LedgerError) -> PaymentRecord? {
        try read { db in try PaymentRecord.fetchOne(db, key: id) }
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
            var decoder = PaymentRowDecoder()
            var out: [PaymentRecord] = []
            let rows = try Row.fetchCursor(db, request)
            while let row = try rows.next() { out.append(try decoder.record(row)) }
            return out
        }
    }
}
