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

    /// `{verified, signer, signerAuthorization, offer}`: `verified` is true when the signature,
    /// the terms and the expiry all passed (they must, or Purse refuses to pay).
    public var json: JSONValue {
        ["verified": true, "signer": .string(signer.checksummed), "signerAuthorization": .string(authorization.rawValue),
         "offer": offer.raw]
    }
}
