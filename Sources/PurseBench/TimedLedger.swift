import Foundation
import Ledger
import PurseCore

/// A `PaymentLedger` that records the calls a paid request makes on a `Timeline` and forwards
/// everything to the real ledger.
struct TimedLedger: PaymentLedger {
    let inner: any PaymentLedger
    let timeline: Timeline

    var location: String { inner.location }

    func startSession(kind: String, label: String?, clientName: String?, now: Date) throws(LedgerError) -> SessionRecord {
        try inner.startSession(kind: kind, label: label, clientName: clientName, now: now)
    }
    func setClientName(sessionID: String, name: String) throws(LedgerError) { try inner.setClientName(sessionID: sessionID, name: name) }
    func sessions() throws(LedgerError) -> [SessionRecord] { try inner.sessions() }

    func reserve(_ payment: NewPayment, limits: BudgetLimits, now: Date) throws(LedgerReserveError) -> PaymentRecord {
        try timeline.span("reserve (durable: BEGIN IMMEDIATE, sums, insert, fsync)") { () throws(LedgerReserveError) in
            try inner.reserve(payment, limits: limits, now: now)
        }
    }
    func usage(sessionID: String, host: HostName?, allHosts: Bool, now: Date) throws(LedgerError) -> BudgetUsage {
        try timeline.span("budget read (usage sums)") { () throws(LedgerError) in
            try inner.usage(sessionID: sessionID, host: host, allHosts: allHosts, now: now)
        }
    }

    func markSent(id: Int64, signedPayload: String?, now: Date) throws(LedgerError) {
        try timeline.span("mark sent") { () throws(LedgerError) in try inner.markSent(id: id, signedPayload: signedPayload, now: now) }
    }
    func markSettled(id: Int64, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError) {
        try timeline.span("mark settled") { () throws(LedgerError) in
            try inner.markSettled(id: id, txHash: txHash, httpStatus: httpStatus, receipt: receipt, now: now)
        }
    }
    func markFailed(id: Int64, error: String, httpStatus: Int?, now: Date) throws(LedgerError) {
        try inner.markFailed(id: id, error: error, httpStatus: httpStatus, now: now)
    }
    func markUnknown(id: Int64, error: String, httpStatus: Int?, txHash: String?, now: Date) throws(LedgerError) {
        try inner.markUnknown(id: id, error: error, httpStatus: httpStatus, txHash: txHash, now: now)
    }
    func markSettledByChain(id: Int64, txHash: String?, now: Date) throws(LedgerError) {
        try inner.markSettledByChain(id: id, txHash: txHash, now: now)
    }
    func markSettled(id: Int64, charge: SettledCharge, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError) {
        try timeline.span("mark settled") { () throws(LedgerError) in
            try inner.markSettled(id: id, charge: charge, txHash: txHash, httpStatus: httpStatus, receipt: receipt, now: now)
        }
    }
    func markSettledByChain(id: Int64, charge: SettledCharge, txHash: String?, now: Date) throws(LedgerError) {
        try inner.markSettledByChain(id: id, charge: charge, txHash: txHash, now: now)
    }

    func unconfirmedCharges() throws(LedgerError) -> [PaymentRecord] { try inner.unconfirmedCharges() }
    func unresolved() throws(LedgerError) -> [PaymentRecord] { try inner.unresolved() }
    func claimUnresolved(claimant: String, lease: TimeInterval, now: Date) throws(LedgerError) -> [PaymentRecord] {
        try inner.claimUnresolved(claimant: claimant, lease: lease, now: now)
    }
    func releaseClaims(claimant: String) throws(LedgerError) { try inner.releaseClaims(claimant: claimant) }
    func failedButStillValid(notBefore: Int64) throws(LedgerError) -> [PaymentRecord] { try inner.failedButStillValid(notBefore: notBefore) }
    func paidResource(payer: Address, resource: String) throws(LedgerError) -> PaymentRecord? {
        try timeline.span("prior payment lookup") { () throws(LedgerError) in try inner.paidResource(payer: payer, resource: resource) }
    }
    func payment(id: Int64) throws(LedgerError) -> PaymentRecord? { try inner.payment(id: id) }
    func payments(_ filter: PaymentFilter) throws(LedgerError) -> [PaymentRecord] { try inner.payments(filter) }
    func health() throws(LedgerError) -> LedgerHealth { try inner.health() }

    func createApproval(_ approval: NewApproval, now: Date) throws(LedgerError) -> ApprovalRecord { try inner.createApproval(approval, now: now) }
    func approval(id: String) throws(LedgerError) -> ApprovalRecord? { try inner.approval(id: id) }
    func approvals(pendingOnly: Bool, now: Date, limit: Int?) throws(LedgerError) -> [ApprovalRecord] {
        try inner.approvals(pendingOnly: pendingOnly, now: now, limit: limit)
    }
    func decideApproval(id: String, approve: Bool, now: Date) throws(ApprovalError) -> ApprovalRecord {
        try inner.decideApproval(id: id, approve: approve, now: now)
    }
    func useApproval(id: String, payment: ApprovalTerms, reference: AuthorizationReference, now: Date) throws(ApprovalError) -> ApprovalRecord {
        try inner.useApproval(id: id, payment: payment, reference: reference, now: now)
    }
}
