import PurseCore
import X402

/// A seller's signed offer that matched the option Purse pays, with who signed it: kept in the
/// ledger row as evidence of the terms the seller committed to.
public struct OfferEvidence: Sendable, Equatable {
    /// The offer as the seller sent it.
    public let offer: SignedOffer
    /// The address the signature recovers to.
    public let signer: Address
    /// Why the signer is believed to speak for the seller.
    public let authorization: SignerAuthorization

    /// Creates evidence.
    public init(offer: SignedOffer, signer: Address, authorization: SignerAuthorization) {
        self.offer = offer
        self.signer = signer
        self.authorization = authorization
    }

    /// `{verified, signer, signerAuthorization, problems, offer}`. The signature, the terms and
    /// the expiry always passed (or Purse refuses to pay); `verified` is true when, in addition,
    /// something binds the signer to the seller.
    public var json: JSONValue {
        let problems: [JSONValue] = authorization == .unverified
            ? [.string("nothing binds the signer \(signer.checksummed) to the seller: it is not payTo and payment.offerSigners does not list it")]
            : []
        return ["verified": .bool(authorization != .unverified), "signer": .string(signer.checksummed),
                "signerAuthorization": .string(authorization.rawValue), "problems": .array(problems), "offer": offer.raw]
    }
}
