import Foundation
import Ledger
import PurseCore
import PurseTesting

/// A ledger that forwards to a real one and fails one chosen call with a chosen error, once: the
/// faults a PostgreSQL ledger reports when its connection goes at that step of a payment, and a
/// queued sent mark that fails.
final class FaultyLedger: ForwardingLedger, @unchecked Sendable {
    enum Step: Sendable { case markSent, markSettled, queuedSentMark }
    let inner: any PaymentLedger
    private let lock = NSLock()
    private var fault: (Step, LedgerError)?

    init(_ inner: any PaymentLedger, failing step: Step, with error: LedgerError) {
        self.inner = inner
        fault = (step, error)
    }

    private func trip(_ step: Step) throws(LedgerError) {
        let e: LedgerError? = lock.withLock {
            guard let f = fault, f.0 == step else { return nil }
            fault = nil
            return f.1
        }
        if let e { throw e }
    }

    func markSent(id: Int64, signedPayload: String?, durable: Bool, now: Date) throws(LedgerError) {
        try trip(.markSent)
        try inner.markSent(id: id, signedPayload: signedPayload, durable: durable, now: now)
    }
    /// Failing `.markSent`, it does not queue (as PostgreSQL does not), so the mark is made
    /// before the send, where the fault waits.
    var queuesWrites: Bool { lock.withLock { fault?.0 != .markSent } && inner.queuesWrites }

    /// Queues as the inner ledger does, except: failing `.markSent`, it cannot queue (as
    /// PostgreSQL cannot), so the mark is made with `markSent`, where the fault waits; failing
    /// `.queuedSentMark`, the queued mark fails as a write on the ledger's thread would, and
    /// changes nothing.
    func markSentQueued(id: Int64, signedPayload: String?, now: Date, failed: @escaping @Sendable (LedgerError) -> Void) -> Bool {
        if lock.withLock({ fault?.0 == .markSent }) { return false }
        do { try trip(.queuedSentMark) } catch {
            failed(error)
            return true
        }
        return inner.markSentQueued(id: id, signedPayload: signedPayload, now: now, failed: failed)
    }
    func markSettled(id: Int64, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError) {
        try trip(.markSettled)
        try inner.markSettled(id: id, txHash: txHash, httpStatus: httpStatus, receipt: receipt, now: now)
    }
    func markSettled(id: Int64, charge: SettledCharge, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError) {
        try trip(.markSettled)
        try inner.markSettled(id: id, charge: charge, txHash: txHash, httpStatus: httpStatus, receipt: receipt, now: now)
    }
}
