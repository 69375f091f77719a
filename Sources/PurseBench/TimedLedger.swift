import Foundation
import Ledger
import PurseCore
import PurseTesting

/// A `PaymentLedger` that records the calls a paid request makes on a `Timeline` and forwards
/// everything to the real ledger.
struct TimedLedger: ForwardingLedger {
    let inner: any PaymentLedger
    let timeline: Timeline

    func reserveWithUsage(_ payment: NewPayment, limits: BudgetLimits, now: Date) throws(LedgerReserveError) -> Reservation {
        try timeline.span("reserve (durable: BEGIN IMMEDIATE, sums, insert, fsync)") { () throws(LedgerReserveError) in
            try inner.reserveWithUsage(payment, limits: limits, now: now)
        }
    }
    func usage(sessionID: String, host: HostName?, allHosts: Bool, now: Date) throws(LedgerError) -> BudgetUsage {
        try timeline.span("budget read (usage sums)") { () throws(LedgerError) in
            try inner.usage(sessionID: sessionID, host: host, allHosts: allHosts, now: now)
        }
    }
    func markSent(id: Int64, signedPayload: String?, durable: Bool, now: Date) throws(LedgerError) {
        try timeline.span("mark sent") { () throws(LedgerError) in try inner.markSent(id: id, signedPayload: signedPayload, durable: durable, now: now) }
    }
    var queuesWrites: Bool { inner.queuesWrites }
    func markSentQueued(id: Int64, signedPayload: String?, now: Date, failed: @escaping @Sendable (LedgerError) -> Void) -> Bool {
        timeline.span("queue the sent mark") { inner.markSentQueued(id: id, signedPayload: signedPayload, now: now, failed: failed) }
    }
    func markSettled(id: Int64, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError) {
        try timeline.span("mark settled") { () throws(LedgerError) in
            try inner.markSettled(id: id, txHash: txHash, httpStatus: httpStatus, receipt: receipt, now: now)
        }
    }
    func markSettled(id: Int64, charge: SettledCharge, txHash: String?, httpStatus: Int?, receipt: String?, now: Date) throws(LedgerError) {
        try timeline.span("mark settled") { () throws(LedgerError) in
            try inner.markSettled(id: id, charge: charge, txHash: txHash, httpStatus: httpStatus, receipt: receipt, now: now)
        }
    }
    func recordQueued(_ outcome: OutcomeWrite, id: Int64, now: Date, failed: @escaping @Sendable (LedgerError) -> Void) -> Bool {
        timeline.span("queue the outcome's write (settled)") { inner.recordQueued(outcome, id: id, now: now, failed: failed) }
    }
    func paidResource(payer: Address, resource: String) throws(LedgerError) -> PaymentRecord? {
        try timeline.span("prior payment lookup") { () throws(LedgerError) in try inner.paidResource(payer: payer, resource: resource) }
    }
}
