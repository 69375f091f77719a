import Foundation
import Ledger
import PurseCore

/// A `PaymentLedger` that hands every call to `inner`: the base of the wrappers that watch or
/// break one step of a payment (the bench's timed ledger, the tests' faulty ledger). A wrapper
/// implements only the calls it changes; the rest forward from here, so a requirement added to
/// the protocol is forwarded in one place.
public protocol ForwardingLedger: PaymentLedger {
    /// The ledger that does the work.
    var inner: any PaymentLedger { get }
}

extension ForwardingLedger {
    public var location: String { inner.location }

    public func startSession(kind: String, label: String?, clientName: String?, now: Date) throws(LedgerError) -> SessionRecord {
        try inner.startSession(kind: kind, label: label, clientName: clientName, now: now)
    }
    public func setClientName(sessionID: String, name: String) throws(LedgerError) { try inner.setClientName(sessionID: sessionID, name: name) }
    public func sessions() throws(LedgerError) -> [SessionRecord] { try inner.sessions() }

    public func reserveWithUsage(_ payment: NewPayment, limits: BudgetLimits, now: Date) throws(LedgerReserveError) -> Reservation {
        try inner.reserveWithUsage(payment, limits: limits, now: now)
    }
    public func usage(sessionID: String, host: HostName?, allHosts: Bool, now: Date) throws(LedgerError) -> BudgetUsage {
        try inner.usage(sessionID: sessionID, host: host, allHosts: allHosts, now: now)
    }

    public func markSent(id: Int64, signedPayload: String?, durable: Bool, now: Date) throws(LedgerError) {
        try inner.markSent(id: id, signedPayload: signedPayload, durable: durable, now: now)
    }
    public func markSettled(id: Int64, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError) {
        try inner.markSettled(id: id, txHash: txHash, httpStatus: httpStatus, receipt: receipt, now: now)
    }
    public func markFailed(id: Int64, error: String, httpStatus: Int?, now: Date) throws(LedgerError) {
        try inner.markFailed(id: id, error: error, httpStatus: httpStatus, now: now)
    }
    public func markUnknown(id: Int64, error: String, httpStatus: Int?, txHash: String?, now: Date) throws(LedgerError) {
        try inner.markUnknown(id: id, error: error, httpStatus: httpStatus, txHash: txHash, now: now)
    }
    public func markSettledByChain(id: Int64, txHash: String?, now: Date) throws(LedgerError) {
        try inner.markSettledByChain(id: id, txHash: txHash, now: now)
    }
    public func markSettled(id: Int64, charge: SettledCharge, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError) {
        try inner.markSettled(id: id, charge: charge, txHash: txHash, httpStatus: httpStatus, receipt: receipt, now: now)
    }
    public func markSettledByChain(id: Int64, charge: SettledCharge, txHash: String?, now: Date) throws(LedgerError) {
        try inner.markSettledByChain(id: id, charge: charge, txHash: txHash, now: now)
    }

    public func unconfirmedCharges() throws(LedgerError) -> [PaymentRecord] { try inner.unconfirmedCharges() }
    public func unresolved() throws(LedgerError) -> [PaymentRecord] { try inner.unresolved() }
    public func claimUnresolved(claimant: String, lease: TimeInterval, now: Date) throws(LedgerError) -> [PaymentRecord] {
        try inner.claimUnresolved(claimant: claimant, lease: lease, now: now)
    }
    public func releaseClaims(claimant: String) throws(LedgerError) { try inner.releaseClaims(claimant: claimant) }
    public func failedButStillValid(notBefore: Int64) throws(LedgerError) -> [PaymentRecord] { try inner.failedButStillValid(notBefore: notBefore) }
    public func paidResource(payer: Address, resource: String) throws(LedgerError) -> PaymentRecord? {
        try inner.paidResource(payer: payer, resource: resource)
    }
    public func payment(id: Int64) throws(LedgerError) -> PaymentRecord? { try inner.payment(id: id) }
    public func payments(_ filter: PaymentFilter) throws(LedgerError) -> [PaymentRecord] { try inner.payments(filter) }
    public func health() throws(LedgerError) -> LedgerHealth { try inner.health() }
    public func pruneBudgetTotals() throws(LedgerError) -> Int { try inner.pruneBudgetTotals() }

    public func createApproval(_ approval: NewApproval, now: Date) throws(LedgerError) -> ApprovalRecord { try inner.createApproval(approval, now: now) }
    public func approval(id: String) throws(LedgerError) -> ApprovalRecord? { try inner.approval(id: id) }
    public func approvals(pendingOnly: Bool, now: Date, limit: Int?) throws(LedgerError) -> [ApprovalRecord] {
        try inner.approvals(pendingOnly: pendingOnly, now: now, limit: limit)
    }
    public func decideApproval(id: String, approve: Bool, now: Date) throws(ApprovalError) -> ApprovalRecord {
        try inner.decideApproval(id: id, approve: approve, now: now)
    }
    public func useApproval(id: String, payment: ApprovalTerms, reference: AuthorizationReference, now: Date) throws(ApprovalError) -> ApprovalRecord {
        try inner.useApproval(id: id, payment: payment, reference: reference, now: now)
    }
}
