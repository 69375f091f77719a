import Foundation
import GRDB
import PurseCore

extension SQLiteLedger {
    public func markSettled(id: Int64, charge: SettledCharge, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError) {
        try settle(id: id, charge: charge, .settled, txHash: txHash, httpStatus: httpStatus, receipt: receipt, now: now)
    }

    public func markSettledByChain(id: Int64, charge: SettledCharge, txHash: String?, now: Date) throws(LedgerError) {
        try settle(id: id, charge: charge, .chargedByChain, txHash: txHash, httpStatus: nil, receipt: nil, now: now)
    }

    public func unconfirmedCharges() throws(LedgerError) -> [PaymentRecord] {
        try read { db in
            try paymentRows(db, "SELECT * FROM payment WHERE status = 'settled' AND amount_source = 'maximum' ORDER BY created_at, id")
        }
    }

    /// Moves a row to `settled` with its amount replaced by `charge`, in one transaction, after
    /// checking the charge against the reservation: the signed maximum when the row has one (it
    /// never changes), else the reserved amount. A charge can only lower what the row counts.
    private func settle(id: Int64, charge: SettledCharge, _ change: StatusChange, txHash: String?, httpStatus: Int?,
                        receipt: String?, now: Date) throws(LedgerError) {
        try writeRecoverable(settleBody(id: id, charge: charge, change, txHash: txHash, httpStatus: httpStatus, receipt: receipt, now: now))
    }

    /// The transaction of `settle`.
    func settleBody(id: Int64, charge: SettledCharge, _ change: StatusChange, txHash: String?, httpStatus: Int?,
                    receipt: String?, now: Date) -> @Sendable (Database) throws -> Void {
        let nowMs = Self.millis(now)
        let path = self.path
        return { db in
            guard charge.atomic >= 0, charge.micros.value >= 0 else { throw LedgerError.badAmount("a settled amount cannot be negative") }
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT status, amount_atomic, micros, decimals, max_amount_atomic FROM payment WHERE id = ?
                """), arguments: [id]) else {
                throw LedgerError.paymentNotFound(id: id)
            }
            let raw: String = row["status"]
            guard let current = PaymentStatus(rawValue: raw) else {
                throw LedgerError.corrupt(path: path, detail: "payment \(id) has unknown status \(raw)")
            }
            guard change.sources.contains(current) else { throw LedgerError.badTransition(id: id, from: current, to: change.target) }
            let maxAtomic: Int64 = row["max_amount_atomic"] ?? row["amount_atomic"]
            let decimals: Int = row["decimals"]
            // The reservation's micros were the maximum's; after a first charge, recompute them.
            let maxMicros = Micros(atomic: maxAtomic, decimals: decimals) ?? Micros(row["micros"] as Int64)
            guard charge.atomic <= maxAtomic, charge.micros <= maxMicros else {
                throw LedgerError.badAmount("payment \(id): a charge of \(charge.atomic) atomic units exceeds the signed maximum of \(maxAtomic)")
            }
            try db.cachedStatement(sql: """
                UPDATE payment SET status = 'settled', updated_at = ?, amount_atomic = ?, micros = ?, amount_source = ?,
                    amount_note = ?, tx_hash = COALESCE(?, tx_hash), http_status = COALESCE(?, http_status),
                    receipt = COALESCE(?, receipt)
                WHERE id = ?
                """).execute(arguments: [nowMs, charge.atomic, charge.micros.value, charge.source.rawValue, charge.note, txHash,
                                         httpStatus, receipt, id])
        }
    }
}
