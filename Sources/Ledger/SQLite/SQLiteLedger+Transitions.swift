import Foundation
import GRDB
import PurseCore

extension SQLiteLedger {
    /// A durable mark syncs the WAL after its commit, as a reservation does (`WALSync`).
    public func markSent(id: Int64, signedPayload: String?, durable: Bool, now: Date) throws(LedgerError) {
        try transition(id: id, .sent, txHash: nil, error: nil, httpStatus: nil, signedPayload: signedPayload, now: now)
        guard durable, options.synchronousFull else { return }
        try syncCommitted()
    }

    public var queuesWrites: Bool { true }

    /// Queued on this connection; counted with the queued writes the process waits for at exit,
    /// but not with those that start a checkpoint (a payment's outcome write does).
    public func markSentQueued(id: Int64, signedPayload: String?, now: Date, failed: @escaping @Sendable (LedgerError) -> Void) -> Bool {
        writeRecoverableQueued(transitionBody(id: id, .sent, txHash: nil, error: nil, httpStatus: nil, signedPayload: signedPayload, now: now),
                               checkpointAfter: false, failed: failed)
        return true
    }

    public func markSettled(id: Int64, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError) {
        try transition(id: id, .settled, txHash: txHash, error: nil, httpStatus: httpStatus,
                       receipt: receipt, now: now)
    }

    public func markFailed(id: Int64, error: String, httpStatus: Int?, now: Date) throws(LedgerError) {
        try transition(id: id, .failed, txHash: nil, error: error,
                       httpStatus: httpStatus, now: now)
    }

    public func markUnknown(id: Int64, error: String, httpStatus: Int?, txHash: String?, now: Date) throws(LedgerError) {
        try transition(id: id, .unknown, txHash: txHash, error: error, httpStatus: httpStatus, now: now)
    }

    public func markSettledByChain(id: Int64, txHash: String?, now: Date) throws(LedgerError) {
        try transition(id: id, .settledByChain, txHash: txHash, error: nil,
                       httpStatus: nil, now: now)
    }

    public func recordQueued(_ outcome: OutcomeWrite, id: Int64, now: Date, failed: @escaping @Sendable (LedgerError) -> Void) -> Bool {
        let body: @Sendable (Database) throws -> Void
        switch outcome {
        case let .settled(txHash, httpStatus, receipt, charge?):
            body = settleBody(id: id, charge: charge, .settled, txHash: txHash, httpStatus: httpStatus, receipt: receipt, now: now)
        case let .settled(txHash, httpStatus, receipt, nil):
            body = transitionBody(id: id, .settled, txHash: txHash, error: nil, httpStatus: httpStatus, receipt: receipt, now: now)
        case let .failed(error, httpStatus):
            body = transitionBody(id: id, .failed, txHash: nil, error: error, httpStatus: httpStatus, now: now)
        case let .unknown(error, httpStatus, txHash):
            body = transitionBody(id: id, .unknown, txHash: txHash, error: error, httpStatus: httpStatus, now: now)
        }
        writeRecoverableQueued(body, failed: failed)
        return true
    }

    /// Moves one row if its current status allows it (`StatusChange.sources`); not
    /// fsynced (see `writeRecoverable`).
    private func transition(id: Int64, _ change: StatusChange, txHash: String?,
                            error: String?, httpStatus: Int?, signedPayload: String? = nil, receipt: String? = nil,
                            now: Date) throws(LedgerError) {
        try writeRecoverable(transitionBody(id: id, change, txHash: txHash, error: error, httpStatus: httpStatus,
                                            signedPayload: signedPayload, receipt: receipt, now: now))
    }

    /// The guarded UPDATE of each change, written once: building its guard on every call (a set,
    /// a sort, a join) was most of a status change's own CPU. The guard is spelled as equalities
    /// (`PaymentStatusSQL`).
    static let transitionSQL: [StatusChange: String] = Dictionary(uniqueKeysWithValues: StatusChange.allCases.map { change in
        (change, """
            UPDATE payment SET status = ?, updated_at = ?, tx_hash = COALESCE(?, tx_hash),
                error = COALESCE(?, error), http_status = COALESCE(?, http_status),
                signed_payload = COALESCE(?, signed_payload), receipt = COALESCE(?, receipt)
            WHERE id = ? AND \(PaymentStatusSQL.isOneOf(change.sources))
            """)
    })

    /// The transaction of `transition`: one guarded UPDATE; only when it changes nothing is the
    /// row read, to say why.
    private func transitionBody(id: Int64, _ change: StatusChange, txHash: String?,
                                error: String?, httpStatus: Int?, signedPayload: String? = nil, receipt: String? = nil,
                                now: Date) -> @Sendable (Database) throws -> Void {
        let nowMs = Self.millis(now)
        let path = self.path
        let sql = Self.transitionSQL[change]!
        return { db in
            try DirectStatement(db, sql: sql).execute([.text(change.target.rawValue), .integer(nowMs), StoredValue(txHash), StoredValue(error),
                                                      StoredValue(httpStatus), StoredValue(signedPayload), StoredValue(receipt), .integer(id)])
            guard db.changesCount == 0 else { return }
            guard let raw = try String.fetchOne(db.cachedStatement(sql: "SELECT status FROM payment WHERE id = ?"), arguments: [id]) else {
                throw LedgerError.paymentNotFound(id: id)
            }
            guard let current = PaymentStatus(rawValue: raw) else {
                throw LedgerError.corrupt(path: path, detail: "payment \(id) has unknown status \(raw)")
            }
            throw LedgerError.badTransition(id: id, from: current, to: change.target)
        }
    }
}
