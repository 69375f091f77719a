import EVM
import PurseCore
import X402

/// The one check of a seller's signed offers (x402 `offer-receipt` extension) against the option
/// Purse is about to pay. Pure: the flow calls it before reserving, so a mismatch is refused with
/// nothing reserved or signed.
///
/// Offers are matched to the option by their signed fields, never by `acceptIndex` (§4.1):
/// scheme, CAIP-2 network, asset, payTo, amount and resource URL must all agree. A matching
/// EIP-712 offer must be version 1, not expired (`validUntil`, 0 = none), and its signature must
/// recover under the `x402 offer` domain; when the human configured signers for the host, the
/// signer must be one of them (or `payTo`).
public enum OfferCheck {
    /// The evidence to keep (nil when the 402 carries no checkable offer), or why Purse refuses.
    ///
    /// - Parameters:
    ///   - offer: the 402.
    ///   - requirement: the option Purse would pay.
    ///   - payTo: its payee.
    ///   - resourceURL: the URL the offer must be for (the 402's `resource.url`, else the request's).
    ///   - now: Unix seconds.
    ///   - trustedSigners: the keys configured for this host (`payment.offerSigners`).
    public static func verify(offer: PaymentRequired, requirement: PaymentRequirement, payTo: ChainAccount, resourceURL: String, now: Int64,
                              trustedSigners: [Address]) -> Result<OfferEvidence?, X402Error> {
        guard let (offers, problems) = SignedOffer.offers(in: offer) else { return .success(nil) }
        let checkable = offers.filter { $0.format == "eip712" && $0.terms != nil }
        if checkable.isEmpty {
            if let p = problems.first { return .failure(mismatch("the seller's signed offer cannot be read: \(p.message)")) }
            return .success(nil) // no offer, or JWS offers only: nothing Purse can check offline
        }
        let matching = checkable.filter { differences($0.terms!, requirement, resourceURL: resourceURL).isEmpty }
        guard !matching.isEmpty else {
            let closest = checkable.first { $0.acceptIndex == requirement.index } ?? checkable[0]
            let diff = differences(closest.terms!, requirement, resourceURL: resourceURL).joined(separator: "; ")
            return .failure(mismatch("no signed offer matches the option the seller asks to be paid (\(diff))"))
        }
        var firstFailure: X402Error?
        for candidate in matching {
            switch check(candidate, payTo: payTo, now: now, trustedSigners: trustedSigners) {
            case let .success(evidence): return .success(evidence)
            case let .failure(e): firstFailure = firstFailure ?? e
            }
        }
        return .failure(firstFailure!)
    }

    /// Verifies one matching offer: version, expiry, signature, signer.
    static func check(_ offer: SignedOffer, payTo: ChainAccount, now: Int64, trustedSigners: [Address]) -> Result<OfferEvidence, X402Error> {
        let t = offer.terms!
        guard t.version == 1 else { return .failure(mismatch("the signed offer has version \(t.version); only version 1 is defined")) }
        if t.validUntil != 0, Int64(clamping: t.validUntil) <= now {
            return .failure(mismatch("the signed offer expired at \(t.validUntil) (now \(now))"))
        }
        let signer: Address
        do {
            let signature = try Signature(hex: offer.signature)
            let data = OfferTypedData(version: UInt256(t.version), resourceUrl: t.resourceUrl, scheme: t.scheme, network: t.network,
                                      asset: t.asset, payTo: t.payTo, amount: t.amount, validUntil: UInt256(t.validUntil))
            signer = try signature.recoverAddress(digest: data.digest)
        } catch {
            return .failure(mismatch("the signed offer's signature is bad (\(error.message))"))
        }
        let authorization: SignerAuthorization
        if ChainAccount.evm(signer) == payTo {
            authorization = .payTo
        } else if trustedSigners.contains(signer) {
            authorization = .configured
        } else if !trustedSigners.isEmpty {
            return .failure(mismatch("the offer is signed by \(signer.checksummed), which is neither payTo nor a signer configured for this host in payment.offerSigners"))
        } else {
            authorization = .unverified
        }
        return .success(OfferEvidence(offer: offer, signer: signer, authorization: authorization))
    }

    /// The fields where the signed terms differ from the option, as `field signed ≠ asked`.
    static func differences(_ t: OfferTerms, _ r: PaymentRequirement, resourceURL: String) -> [String] {
        var d: [String] = []
        func clip(_ s: String) -> String { s.count > 70 ? String(s.prefix(70)) + "…" : s }
        if t.scheme != r.scheme { d.append("scheme \(clip(t.scheme)) signed ≠ \(clip(r.scheme)) asked") }
        let network = r.network?.caip2 ?? r.networkText
        if t.network != network { d.append("network \(clip(t.network)) signed ≠ \(clip(network)) asked") }
        if !sameAddress(t.asset, r.asset) { d.append("asset \(clip(t.asset)) signed ≠ \(clip(r.asset)) asked") }
        if !sameAddress(t.payTo, r.payTo) { d.append("payTo \(clip(t.payTo)) signed ≠ \(clip(r.payTo)) asked") }
        if t.amount != String(r.amount.value) { d.append("amount \(clip(t.amount)) signed ≠ \(r.amount.value) asked") }
        if t.resourceUrl != resourceURL { d.append("resourceUrl \(clip(t.resourceUrl)) signed ≠ \(clip(resourceURL))") }
        return d
    }

    /// Addresses compare by their 20 bytes (any letter case); other text exactly.
    static func sameAddress(_ a: String, _ b: String) -> Bool {
        if let x = try? Address(parsing: a.lowercased()), let y = try? Address(parsing: b.lowercased()) { return x == y }
        return a == b
    }

    static func mismatch(_ detail: String) -> X402Error { X402Error(.offerMismatch, field: "extensions.offer-receipt", detail) }
}
