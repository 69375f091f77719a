import Ledger
import PurseCore
import X402

/// How a call ended, and what the ledger must record.
public struct FlowOutcome: Sendable, Equatable {
    /// The kind of ending.
    public enum Kind: Sendable, Equatable {
        /// The server did not ask for payment; nothing was reserved or signed.
        case notPaymentRequired
        /// Purse refused to pay (or could not make the request); nothing was signed.
        case refused(FlowRefusal)
        /// The server let the wallet in with a signed sign-in (`sign-in-with-x`): content, no payment.
        case signedIn
        /// Paid and the content came back.
        case paid
        /// Paid (the receipt says the payment settled) but the content did not come back: an
        /// `upfront` seller settles before its handler runs, so a failed handler still costs.
        case notDelivered(status: Int)
        /// Paid, but the server refused the payment: nothing settled per the server.
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
    public var kind: Kind
    /// The payment plan, when one was made.
    public var plan: PaymentPlan?
    /// The receipt, when the server sent one.
    public var receipt: SettlementResponse?
    /// What the ledger must record.
    public var resolution: Resolution
    /// How many signatures the call made (0 or 1, never more).
    public var signatures: Int
    /// How many times the paid request was sent.
    public var paidAttempts: Int
    /// What became of a sign-in challenge, when the 402 offered one.
    public var signIn: SignInNote?
    /// The seller's signed receipt and how it checked out, when there is one to keep.
    public var receiptEvidence: ReceiptEvidence?

    /// For a settled payment charged its actual amount (`upto`): what it was charged; nil when
    /// the reserved amount stands.
    public var charge: SettledCharge?

    /// Creates an outcome.
    public init(kind: Kind, plan: PaymentPlan? = nil, receipt: SettlementResponse? = nil, resolution: Resolution = .none,
                signatures: Int = 0, paidAttempts: Int = 0, signIn: SignInNote? = nil, receiptEvidence: ReceiptEvidence? = nil,
                charge: SettledCharge? = nil) {
        self.kind = kind
        self.plan = plan
        self.receipt = receipt
        self.resolution = resolution
        self.signatures = signatures
        self.paidAttempts = paidAttempts
        self.signIn = signIn
        self.receiptEvidence = receiptEvidence
        self.charge = charge
    }

    /// The status the payment's row ends in once this outcome is recorded: `settled`, `failed`
    /// (released), `unknown`, or nil when the resolution leaves the row as it was.
    public var recordedStatus: PaymentStatus? {
        switch resolution {
        case .none: nil
        case .release, .fail: .failed
        case .settle: .settled
        case .unknown: .unknown
        }
    }

    /// The write that records this outcome on the reserved row (`httpStatus`: the last answer's
    /// status), or nil when the resolution leaves the row as it was. Its status is `recordedStatus`.
    public func ledgerWrite(httpStatus: Int?) -> OutcomeWrite? {
        switch resolution {
        case .none: nil
        case let .release(why), let .fail(why): .failed(error: why, httpStatus: httpStatus)
        case let .settle(tx): .settled(txHash: tx, httpStatus: httpStatus, receipt: receiptEvidence?.json.encoded(), charge: charge)
        case let .unknown(why): .unknown(error: why, httpStatus: httpStatus, txHash: receipt?.transaction)
        }
    }

    /// What the reserved row counts against the budgets once this outcome is recorded, by the
    /// ledger's own rule (`PaymentStatus.counts`; a row left as it was is reserved or sent, which
    /// count): nothing once failed, the charge when settled for its actual amount (`upto`), else
    /// the `reserved` amount.
    public func countedMicros(reserved: Micros) -> Micros {
        guard recordedStatus?.counts ?? true else { return .zero }
        if case .settle = resolution, let charge { return charge.micros }
        return reserved
    }
}
