import Foundation
import PostgresClient
import PurseCore

extension PostgresLedger {
    public func markSent(id: Int64, signedPayload: String?, now: Date) throws(LedgerError) {
        try transition(id: id, .sent, txHash: nil, error: nil, httpStatus: nil, signedPayload: signedPayload, now: now)
    }

    public func markSettled(id: Int64, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError) {
        try transition(id: id, .settled, txHash: txHash, error: nil, httpStatus: httpStatus,
                       receipt: receipt, now: now)
    }

    public func markFailed(id: Int64, error: String, httpStatus: Int?, now: Date) throws(LedgerError) {
        try transition(id: id, .failed, txHash: nil, error: error, httpStatus: httpStatus, now: now)
    }

    public func markUnknown(id: Int64, error: String, httpStatus: Int?, txHash: String?, now: Date) throws(LedgerError) {
        try transition(id: id, .unknown, txHash: txHash, error: error, httpStatus: httpStatus, now: now)
    }

    public func markSettledByChain(id: Int64, txHash: String?, now: Date) throws(LedgerError) {
        try transition(id: id, .settledByChain, txHash: txHash, error: nil, httpStatus: nil, now: now)
    }

    public func markSettled(id: Int64, charge: SettledCharge, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError) {
        try settle(id: id, charge: charge, .settled, txHash: txHash, httpStatus: httpStatus, receipt: receipt, now: now)
    }

    public func markSettledByChain(id: Int64, charge: SettledCharge, txHash: String?, now: Date) throws(LedgerError) {
        try settle(id: id, charge: charge, .chargedByChain, txHash: txHash, httpStatus: nil, receipt: nil, now: now)
    }

    /// Moves one row if its current status allows it, in one transaction that locks the row
    /// (`FOR UPDATE`), so two processes cannot both move it (reconcile on two machines).
    private func transition(id: Int64, _ change: StatusChange, txHash: String?, error: String?,
                            httpStatus: Int?, signedPayload: String? = nil, receipt: String? = nil, now: Date) throws(LedgerError) {
        let nowMs = LedgerTime.millis(now)
        let location = self.location
        try transaction { tx in
            let current = try Self.lockedStatus(tx, id: id, location: location)
            guard change.sources.contains(current) else { throw LedgerError.badTransition(id: id, from: current, to: change.target) }
            try tx.query("""
                UPDATE payment SET status = $1, updated_at = $2, tx_hash = COALESCE($3, tx_hash), error = COALESCE($4, error),
                    http_status = COALESCE($5::integer, http_status), signed_payload = COALESCE($6, signed_payload),
                    receipt = COALESCE($7, receipt)
                WHERE id = $8
                """, [change.target.rawValue, Self.text(nowMs), txHash, error, httpStatus.map(Self.text), signedPayload, receipt, Self.text(id)])
        }
    }

    /// Moves a row to `settled` with its amount replaced by `charge` (never above the signed
    /// maximum, or the reserved amount without one), in one transaction; see `SQLiteLedger`.
    private func settle(id: Int64, charge: SettledCharge, _ change: StatusChange, txHash: String?, httpStatus: Int?,
                        receipt: String?, now: Date) throws(LedgerError) {
        guard charge.atomic >= 0, charge.micros.value >= 0 else { throw .badAmount("a settled amount cannot be negative") }
        let nowMs = LedgerTime.millis(now)
        let location = self.location
        try transaction { tx in
            let row = try tx.query("SELECT status, amount_atomic, micros, decimals, max_amount_atomic FROM payment WHERE id = $1 FOR UPDATE",
                                   [Self.text(id)])
            guard let r = row.rows.first else { throw LedgerError.paymentNotFound(id: id) }
            guard let raw = r[0], let current = PaymentStatus(rawValue: raw) else {
                throw LedgerError.corrupt(path: location, detail: "payment \(id) has unknown status \(r[0] ?? "NULL")")
            }
            guard change.sources.contains(current) else { throw LedgerError.badTransition(id: id, from: current, to: change.target) }
            guard let amount = r[1].flatMap({ Int64($0) }), let micros = r[2].flatMap({ Int64($0) }), let decimals = r[3].flatMap({ Int($0) }) else {
                throw LedgerError.corrupt(path: location, detail: "payment \(id) has a malformed amount")
            }
            let maxAtomic = r[4].flatMap { Int64($0) } ?? amount
            let maxMicros = Micros(atomic: maxAtomic, decimals: decimals) ?? Micros(micros)
            guard charge.atomic <= maxAtomic, charge.micros <= maxMicros else {
                throw LedgerError.badAmount("payment \(id): a charge of \(charge.atomic) atomic units exceeds the signed maximum of \(maxAtomic)")
            }
            try tx.query("""
                UPDATE payment SET status = 'settled', updated_at = $1, amount_atomic = $2, micros = $3, amount_source = $4,
                    amount_note = $5, tx_hash = COALESCE($6, tx_hash), http_status = COALESCE($7::integer, http_status),
                    receipt = COALESCE($8, receipt)
                WHERE id = $9
                """, [Self.text(nowMs), Self.text(charge.atomic), Self.text(charge.micros.value), charge.source.rawValue, charge.note, txHash,
                      httpStatus.map(Self.text), receipt, Self.text(id)])
        }
    }

    /// The row's status, locked for the rest of the transaction.
    private static func lockedStatus(_ tx: PostgresTransaction, id: Int64, location: String) throws -> PaymentStatus {
        let rows = try tx.query("SELECT status FROM payment WHERE id = $1 FOR UPDATE", [text(id)])
        guard let first = rows.rows.first else { throw LedgerError.paymentNotFound(id: id) }
        guard let raw = first[0], let status = PaymentStatus(rawValue: raw) else {
            throw LedgerError.corrupt(path: location, detail: "payment \(id) has unknown status \(first[0] ?? "NULL")")
        }
        return status
    }
}
