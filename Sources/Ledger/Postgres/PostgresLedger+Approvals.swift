import Foundation
import PostgresClient
import PurseCore

extension PostgresLedger {
    public func createApproval(_ approval: NewApproval, now: Date) throws(LedgerError) -> ApprovalRecord {
        guard NewApproval.isWellFormedID(approval.id) else { throw .invalidArgument("approval id \(approval.id) is malformed") }
        guard approval.terms.amountAtomic >= 0, approval.micros.value >= 0 else { throw .badAmount("a negative approval amount") }
        let created = LedgerTime.date(LedgerTime.millis(now))
        var a = approval
        a.expiresAt = LedgerTime.date(LedgerTime.millis(approval.expiresAt))
        let values: [String?] = [
            a.id, a.sessionID, Self.text(LedgerTime.millis(created)), Self.text(LedgerTime.millis(a.expiresAt)), a.method, a.url,
            a.terms.host.name, a.terms.network, a.terms.asset.text, a.assetSymbol, Self.text(a.decimals), a.terms.payTo.text,
            a.terms.payer.text, Self.text(a.terms.amountAtomic), Self.text(a.micros.value), a.paymentFlow,
        ]
        try transaction { tx in
            try tx.query("""
                INSERT INTO approval (id, session_id, created_at, expires_at, status, method, url, host, network, asset,
                    asset_symbol, decimals, pay_to, payer, amount_atomic, micros, payment_flow)
                VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
                """, values)
        }
        return ApprovalRecord(approval: a, createdAt: created, status: .pending)
    }

    public func approval(id: String) throws(LedgerError) -> ApprovalRecord? {
        try approvals(of: read("SELECT * FROM approval WHERE id = $1", [id])).first
    }

    public func approvals(pendingOnly: Bool, now: Date, limit: Int?) throws(LedgerError) -> [ApprovalRecord] {
        var sql = "SELECT * FROM approval"
        var params: [String?] = []
        if pendingOnly {
            params.append(Self.text(LedgerTime.millis(now)))
            sql += " WHERE status = 'pending' AND expires_at > $1"
        }
        sql += " ORDER BY created_at DESC, id DESC"
        if let limit {
            params.append(Self.text(max(0, limit)))
            sql += " LIMIT $\(params.count)"
        }
        return try approvals(of: read(sql, params))
    }

    public func decideApproval(id: String, approve: Bool, now: Date) throws(ApprovalError) -> ApprovalRecord {
        let nowMs = LedgerTime.millis(now)
        let result: Result<ApprovalRecord, ApprovalError>
        do {
            result = try transaction { tx in
                guard let record = try self.approvals(of: tx.query("SELECT * FROM approval WHERE id = $1 FOR UPDATE", [id])).first else {
                    return .failure(.unknown(id: id))
                }
                switch record.status {
                case .used: return .failure(.used(id: id))
                case .denied: return approve ? .failure(.denied(id: id)) : .success(record)
                case .pending, .approved: break
                }
                if record.approval.expiresAt <= LedgerTime.date(nowMs) { return .failure(.expired(id: id, at: record.approval.expiresAt)) }
                if record.status == .approved, approve { return .success(record) }
                let status: ApprovalStatus = approve ? .approved : .denied
                try tx.query("UPDATE approval SET status = $1, decided_at = $2 WHERE id = $3", [status.rawValue, Self.text(nowMs), id])
                var updated = record
                updated.status = status
                updated.decidedAt = LedgerTime.date(nowMs)
                return .success(updated)
            }
        } catch {
            throw .ledger(error)
        }
        return try result.get()
    }

    public func useApproval(id: String, payment: ApprovalTerms, reference: AuthorizationReference, now: Date) throws(ApprovalError) -> ApprovalRecord {
        let nowMs = LedgerTime.millis(now)
        let result: Result<ApprovalRecord, ApprovalError>
        do {
            // The row lock (FOR UPDATE) makes the check and the use one step across every process.
            result = try transaction { tx in
                guard let record = try self.approvals(of: tx.query("SELECT * FROM approval WHERE id = $1 FOR UPDATE", [id])).first else {
                    return .failure(.unknown(id: id))
                }
                switch record.status {
                case .pending: if record.approval.expiresAt > LedgerTime.date(nowMs) { return .failure(.pending(id: id)) }
                case .denied: return .failure(.denied(id: id))
                case .used: return .failure(.used(id: id))
                case .approved: break
                }
                if record.approval.expiresAt <= LedgerTime.date(nowMs) { return .failure(.expired(id: id, at: record.approval.expiresAt)) }
                if let detail = record.approval.terms.mismatch(payment) { return .failure(.mismatch(id: id, detail: detail)) }
                let changed = try tx.query("UPDATE approval SET status = 'used', used_at = $1, used_nonce = $2 WHERE id = $3 AND status = 'approved'",
                                           [Self.text(nowMs), reference.value, id]).affectedRows
                guard changed == 1 else { return .failure(.used(id: id)) }
                var updated = record
                updated.status = .used
                updated.usedAt = LedgerTime.date(nowMs)
                updated.usedNonce = reference.value
                return .success(updated)
            }
        } catch {
            throw .ledger(error)
        }
        return try result.get()
    }

    /// Decodes the approvals of an answer.
    func approvals(of rows: PostgresRows) throws(LedgerError) -> [ApprovalRecord] {
        var out: [ApprovalRecord] = []
        for row in rows.stored(location: location) { out.append(try ApprovalRowDecoder.record(row, location: location)) }
        return out
    }
}
