import Foundation
import PostgresClient
import PurseCore

extension PostgresLedger {
    /// Every status change here commits synchronously, so `durable` asks for nothing more.
    public func markSent(id: Int64, signedPayload: String?, durable: Bool, now: Date) throws(LedgerError) {
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
            let row = try Self.lockedPayment(tx, id: id, location: location)
            let current = row.status
            guard change.sources.contains(current) else { throw LedgerError.badTransition(id: id, from: current, to: change.target) }
            try tx.query("""
                UPDATE payment SET status = $1, updated_at = $2, tx_hash = COALESCE($3, tx_hash), error = COALESCE($4, error),
                    http_status = COALESCE($5::integer, http_status), signed_payload = COALESCE($6, signed_payload),
                    receipt = COALESCE($7, receipt)
                WHERE id = $8
                """, [change.target.rawValue, Self.text(nowMs), txHash, error, httpStatus.map(Self.text), signedPayload, receipt, Self.text(id)])
            try Self.adjustTotals(tx, row, to: change.target, micros: row.micros)
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
            let row = try Self.lockedPayment(tx, id: id, location: location)
            guard change.sources.contains(row.status) else { throw LedgerError.badTransition(id: id, from: row.status, to: change.target) }
            let maxAtomic = row.maxAmountAtomic ?? row.amountAtomic
            let maxMicros = Micros(atomic: maxAtomic, decimals: row.decimals) ?? Micros(row.micros)
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
            try Self.adjustTotals(tx, row, to: .settled, micros: charge.micros.value)
        }
    }

    /// What a transition needs of a payment row, read with the row locked for the rest of the
    /// transaction.
    struct LockedPayment {
        let status: PaymentStatus
        let micros: Int64
        let amountAtomic: Int64
        let maxAmountAtomic: Int64?
        let decimals: Int
        let host: String
        let createdAt: Int64
        let sessionID: String
    }

    /// The row, locked for the rest of the transaction.
    private static func lockedPayment(_ tx: PostgresTransaction, id: Int64, location: String) throws -> LockedPayment {
        let rows = try tx.query("""
            SELECT status, micros, amount_atomic, max_amount_atomic, decimals, host, created_at, session_id FROM payment WHERE id = $1 FOR UPDATE
            """, [text(id)])
        guard let r = rows.rows.first, r.count == 8 else { throw LedgerError.paymentNotFound(id: id) }
        guard let raw = r[0], let status = PaymentStatus(rawValue: raw) else {
            throw LedgerError.corrupt(path: location, detail: "payment \(id) has unknown status \(r[0] ?? "NULL")")
        }
        guard let micros = r[1].flatMap({ Int64($0) }), let amount = r[2].flatMap({ Int64($0) }), let decimals = r[4].flatMap({ Int($0) }),
              let host = r[5], let created = r[6].flatMap({ Int64($0) }), let session = r[7] else {
            throw LedgerError.corrupt(path: location, detail: "payment \(id) has a malformed amount, host, time or session")
        }
        return LockedPayment(status: status, micros: micros, amountAtomic: amount, maxAmountAtomic: r[3].flatMap { Int64($0) },
                             decimals: decimals, host: host, createdAt: created, sessionID: session)
    }

    /// Moves the running totals (`budget_minute`, the session's spent and pending micros) by
    /// what the row's change of status and amount moves, in the same transaction as the change
    /// (sent with its COMMIT, so the totals rows stay locked for that last round trip only): the
    /// totals always equal the sums of the rows, which `health` checks.
    ///
    /// A change that adds to what counts (reconcile finding a released payment on chain, or a
    /// larger charge) first takes the budget lock, like a reservation: a reservation's sums
    /// are read under that lock, so none can miss an increase committed while it checks. A
    /// change that only releases needs no lock: a reservation that misses it refuses more, not
    /// less.
    static func adjustTotals(_ tx: PostgresTransaction, _ row: LockedPayment, to status: PaymentStatus, micros: Int64) throws {
        let spent = (status.counts ? micros : 0) - (row.status.counts ? row.micros : 0)
        let pending = (status.isPending ? micros : 0) - (row.status.isPending ? row.micros : 0)
        var script: [String] = []
        if spent > 0 { script.append(lockSQL) }
        if spent != 0 {
            script.append(PostgresSchema.addToMinutes("VALUES (\(try tx.connection.literal(row.host)), \(row.createdAt / 60000), \(spent))"))
        }
        if spent != 0 || pending != 0 {
            script.append(PostgresSchema.addToSession(spent: "\(spent)", pending: "\(pending)",
                                                      where: "id = " + (try tx.connection.literal(row.sessionID))))
        }
        if !script.isEmpty { tx.commit(after: script.joined(separator: "; ")) }
    }
}
