import HTTP
import PurseCore
import X402

/// How a call ended, and what the ledger must record.
public struct FlowOutcome: Sendable {
    /// The kind of ending.
    public enum Kind: Sendable {
        /// The server did not ask for payment (any status but 402); nothing was reserved or signed.
        case notPaymentRequired
        /// Purse refused to pay; nothing was signed.
        case refused(any CodedError)
        /// Paid and the content came back.
        case paid
        /// Paid, but the server answered 402 again (or refused the payment): nothing settled per the server.
        case paymentFailed(reason: String)
        /// The payment was sent but its outcome is not known; reconcile asks the chain.
        case unknown(reason: String)
    }

    /// What to write to the ledger row, if one was reserved.
    public enum Resolution: Sendable, Equatable {
        /// No row was reserved.
        case none
        /// Release the reservation: nothing was signed or nothing left the process.
        case release(String)
        /// The server reports settlement.
        case settle(transaction: String?)
        /// The server reports failure; nothing charged.
        case fail(String)
        /// Sent, outcome unknown: keep counting it until reconcile decides.
        case unknown(String)
    }

    /// The kind of ending.
    public let kind: Kind
    /// The last response, when there was one.
    public let response: HTTPResponse?
    /// The payment plan, when one was made.
    public let plan: PaymentPlan?
    /// The receipt, when the server sent one.
    public let receipt: SettlementResponse?
    /// What the ledger must record.
    public let resolution: Resolution
    /// How many signatures the call made (0 or 1, never more).
    public let signatures: Int
    /// How many times the paid request was sent.
    public let paidAttempts: Int
}
