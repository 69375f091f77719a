import PurseCore
import X402

/// A seller's signed receipt for a payment and how it checked out. A missing or bad receipt is
/// noted here and never fails a payment that the settlement confirmed.
public struct ReceiptEvidence: Sendable, Equatable {
    /// The receipt as the seller sent it, when it sent one.
    public let receipt: JSONValue?
    /// The address the signature recovers to, when it recovers.
    public let signer: Address?
    /// Why the signer is believed to speak for the seller, when it recovered.
    public let authorization: SignerAuthorization?
    /// Everything that did not check out; empty when verified.
    public let problems: [String]

    /// Creates evidence.
    public init(receipt: JSONValue?, signer: Address?, authorization: SignerAuthorization?, problems: [String]) {
        self.receipt = receipt
        self.signer = signer
        self.authorization = authorization
        self.problems = problems
    }

    /// Whether the receipt verified: a good signature by an authorized signer, naming this payment.
    public var verified: Bool { problems.isEmpty && signer != nil }

    /// `{verified, signer, signerAuthorization, problems, receipt?}` (see `schemas/spend-log.schema.json`).
    public var json: JSONValue {
        var o: JSONObject = [
            "verified": .bool(verified),
            "signer": signer.map { .string($0.checksummed) } ?? .null,
            "signerAuthorization": authorization.map { .string($0.rawValue) } ?? .null,
            "problems": .array(problems.map(JSONValue.string)),
        ]
        if let receipt { o["receipt"] = receipt }
        return .object(o)
    }
}
