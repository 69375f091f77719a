/// Why Purse believes the key that signed a seller's offer or receipt speaks for that seller.
///
/// A valid signature only proves that some key signed; the offer-receipt specification leaves
/// the binding of key to seller to the verifier (§4.5.1). Purse accepts the `payTo` key, keys the
/// human configured for the host (`payment.offerSigners`), and, for a receipt, the key that signed
/// the offer it paid; anything else is `unverified`.
public enum SignerAuthorization: String, Sendable, Equatable {
    /// The signer is the option's `payTo`.
    case payTo
    /// The signer is listed for the host in `payment.offerSigners`.
    case configured
    /// The receipt's signer is the one that signed the offer that was paid.
    case offerSigner
    /// Nothing binds the signer to the seller.
    case unverified
}
