import Foundation
import PurseCore

/// One stored payment row: the reserved payment plus what happened to it since.
///
/// The reserved fields are not repeated here: they live in `payment`, and are read through it
/// directly (`record.url`, `record.micros`) by dynamic member lookup.
@dynamicMemberLookup
public struct PaymentRecord: Sendable, Equatable {
    /// The row id, increasing.
    public var id: Int64
    /// What was reserved.
    public var payment: NewPayment
    /// When the reservation was made (millisecond precision).
    public var createdAt: Date
    /// When the status last changed (millisecond precision).
    public var updatedAt: Date
    /// The current status.
    public var status: PaymentStatus
    /// The settlement transaction hash, when known.
    public var txHash: String?
    /// Why the payment failed or is unknown, when it did or is.
    public var error: String?
    /// The HTTP status of the paid retry, when one came back.
    public var httpStatus: Int?
    /// The exact payment payload that was signed and sent (compact JSON text), once it left.
    public var signedPayload: String?
    /// The seller's signed receipt and how it was checked (JSON text), when one was expected or came.
    public var receipt: String?

    /// For a payment settled for its actual amount (`upto`): whose word the settled amount is
    /// (`receipt`, `chain`, or `maximum` while the real transfer is unread); nil otherwise.
    public var amountSource: SettledCharge.Source?
    /// Why the settled amount is not the seller's word (a claim above the signed maximum, …).
    public var amountNote: String?

    /// Creates a record (the ledger creates them; tests and reports may too).
    public init(id: Int64, payment: NewPayment, createdAt: Date, updatedAt: Date, status: PaymentStatus,
                txHash: String? = nil, error: String? = nil, httpStatus: Int? = nil, signedPayload: String? = nil,
                receipt: String? = nil, amountSource: SettledCharge.Source? = nil, amountNote: String? = nil) {
        self.id = id
        self.payment = payment
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.status = status
        self.txHash = txHash
        self.error = error
        self.httpStatus = httpStatus
        self.signedPayload = signedPayload
        self.receipt = receipt
        self.amountSource = amountSource
        self.amountNote = amountNote
    }

    /// A reserved field, read through `payment`.
    public subscript<T>(dynamicMember field: KeyPath<NewPayment, T>) -> T { payment[keyPath: field] }
}
