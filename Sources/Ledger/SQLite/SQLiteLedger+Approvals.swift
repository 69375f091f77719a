import Foundation
import GRDB
import PurseCore

extension SQLiteLedger {
    public func createApproval(_ approval: NewApproval, now: Date) throws(LedgerError) -> ApprovalRecord {
        guard NewApproval.isWellFormedID(approval.id) else { throw .invalidArgument("approval id \(approval.id) is malformed") }
        guard approval.terms.amountAtomic >= 0, approval.micros.value >= 0 else { throw .badAmount("a negative approval amount") }
        let created = Self.date(Self.millis(now))
        var stored = approval
        stored.expiresAt = Self.date(Self.millis(approval.expiresAt))
        let a = stored
        // Durable like a reservation: the human may run `purse approve` the next moment.
        try write { db in
            try db.execute(sql: """
                INSERT INTO approval (id, session_id, created_at, expires_at, status, method, url, host, network, asset,
                    asset_symbol, decimals, pay_to, payer, amount_atomic, micros, payment_flow)
                VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [a.id, a.sessionID, Self.millis(created), Self.millis(a.expiresAt), a.method, a.url, a.terms.host,
                                 a.terms.network, a.terms.asset, a.assetSymbol, a.decimals, a.terms.payTo, a.terms.payer,
                                 a.terms.amountAtomic, a.micros, a.paymentFlow])
        }
        return ApprovalRecord(approval: a, createdAt: created, status: .pending)
    }

    public func approval(id: String) throws(LedgerError) -> ApprovalRecord? {
        try read { db in try approvalRows(db, "SELECT * FROM approval WHERE id = ?", [id]).first }
    }

    public func approvals(pendingOnly: Bool, now: Date, limit: Int?) throws(LedgerError) -> [ApprovalRecord] {
        var sql = "SELECT * FROM approval"
        var arguments: StatementArguments = []
        if pendingOnly {
            sql += " WHERE status = 'pending' AND expires_at > ?"
            arguments += [Self.millis(now)]
        }
        sql += " ORDER BY created_at DESC, id DESC"
        if let limit {
            sql += " LIMIT ?"
            arguments += [max(0, limit)]
        }
        return try read { [sql, arguments] db in try approvalRows(db, sql, arguments) }
    }

    public func decideApproval(id: String, approve: Bool, now: Date) throws(ApprovalError) -> ApprovalRecord {
        let nowMs = Self.millis(now)
        do {
            return try writeDurably { db in
                guard let record = try approvalRows(db, "SELECT * FROM approval WHERE id = ?", [id]).first else {
                    throw ApprovalError.unknown(id: id)
                }
                switch record.status {
                case .used: throw ApprovalError.used(id: id)
                case .denied:
                    if approve { throw ApprovalError.denied(id: id) }
                    return record
                case .pending, .approved: break
                }
                if record.approval.expiresAt <= Self.date(nowMs) { throw ApprovalError.expired(id: id, at: record.approval.expiresAt) }
                if record.status == .approved, approve { return record }
                let status: ApprovalStatus = approve ? .approved : .denied
                try db.execute(sql: "UPDATE approval SET status = ?, decided_at = ? WHERE id = ?", arguments: [status.rawValue, nowMs, id])
                var updated = record
                updated.status = status
                updated.decidedAt = Self.date(nowMs)
                return updated
            }
        } catch let e as ApprovalError {
            throw e
        } catch {
            throw .ledger(LedgerError.from(error, path: path, busyTimeout: options.busyTimeout))
        }
    }

    public func useApproval(id: String, payment: ApprovalTerms, reference: AuthorizationReference, now: Date) throws(ApprovalError) -> ApprovalRecord {
        let nowMs = Self.millis(now)
        do {
            // One IMMEDIATE transaction: two processes holding the same id cannot both see it unused.
            return try writeDurably { db in
                guard let record = try approvalRows(db, "SELECT * FROM approval WHERE id = ?", [id]).first else {
                    throw ApprovalError.unknown(id: id)
                }
                switch record.status {
                case .pending: if record.approval.expiresAt > Self.date(nowMs) { throw ApprovalError.pending(id: id) }
                case .denied: throw ApprovalError.denied(id: id)
                case .used: throw ApprovalError.used(id: id)
                case .approved: break
                }
                if record.approval.expiresAt <= Self.date(nowMs) { throw ApprovalError.expired(id: id, at: record.approval.expiresAt) }
                if let detail = record.approval.terms.mismatch(payment) { throw ApprovalError.mismatch(id: id, detail: detail) }
                try db.execute(sql: "UPDATE approval SET status = 'used', used_at = ?, used_nonce = ? WHERE id = ? AND status = 'approved'",
                               arguments: [nowMs, reference.value, id])
                guard db.changesCount == 1 else { throw ApprovalError.used(id: id) }
                var updated = record
                updated.status = .used
                updated.usedAt = Self.date(nowMs)
                updated.usedNonce = reference.value
                return updated
            }
        } catch let e as ApprovalError {
            throw e
        } catch {
            throw .ledger(LedgerError.from(error, path: path, busyTimeout: options.busyTimeout))
        }
    }
}
