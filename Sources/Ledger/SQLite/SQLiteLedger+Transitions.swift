import Foundation
import GRDB
import PurseCore

extension SQLiteLedger {
    public func markSent(id: Int64, signedPayload: String?, now: Date) throws(LedgerError) {
        try transition(id: id, to: .sent, from: [.reserved], txHash: nil, error: nil, httpStatus: nil, signedPayload: signedPayload, now: now)
    }

    public func markSettled(id: Int64, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError) {
        try transition(id: id, to: .settled, from: [.sent, .unknown], txHash: txHash, error: nil, httpStatus: httpStatus,
                       receipt: receipt, now: now)
    }

    public func markFailed(id: Int64, error: String, httpStatus: Int?, now: Date) throws(LedgerError) {
        try transition(id: id, to: .failed, from: [.reserved, .sent, .unknown], txHash: nil, error: error,
                       httpStatus: httpStatus, now: now)
    }

    public func markUnknown(id: Int64, error: String, httpStatus: Int?, txHash: String?, now: Date) throws(LedgerError) {
        try transition(id: id, to: .unknown, from: [.sent], txHash: txHash, error: error, httpStatus: httpStatus, now: now)
    }

    public func markSettledByChain(id: Int64, txHash: String?, now: Date) throws(LedgerError) {
        try transition(id: id, to: .settled, from: [.reserved, .sent, .unknown, .failed], txHash: txHash, error: nil,
                       httpStatus: nil, now: now)
    }

    /// Moves one row if its current status allows it (`PaymentStatus.allowedSources`); not
    /// fsynced (see `writeRecoverable`).
    private func transition(id: Int64, to: PaymentStatus, from allowed: Set<PaymentStatus>, txHash: String?,
                            error: String?, httpStatus: Int?, signedPayload: String? = nil, receipt: String? = nil,
                            now: Date) throws(LedgerError) {
        let nowMs = Self.millis(now)
        let path = self.path
        try writeRecoverable { db in
            guard let raw = try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM payment WHERE id = ?"), arguments: [id]) else {
                throw LedgerError.paymentNotFound(id: id)
            }
            guard let current = PaymentStatus(rawValue: raw) else {
                throw LedgerError.corrupt(path: path, detail: "payment \(id) has unknown status \(raw)")
            }
            guard allowed.contains(current) else { throw LedgerError.badTransition(id: id, from: current, to: to) }
            try db.cachedStatement(sql: """
                UPDATE payment SET status = ?, updated_at = ?, tx_hash = COALESCE(?, tx_hash),
                    error = COALESCE(?, error), http_status = COALESCE(?, http_status),
                    signed_payload = COALESCE(?, signed_payload), receipt = COALESCE(?, receipt)
                WHERE id = ?
                """).execute(arguments: [to.rawValue, nowMs, txHash, error, httpStatus, signedPayload, receipt, id])
        }
    }
}
