// Purse — EVM module.
// The EIP-712 message of an x402 signed offer (offer-receipt extension, §4.3).

/// The EIP-712 `Offer` of the x402 `offer-receipt` extension: the terms a seller signs for one
/// of its `accepts[]` entries, so that a buyer can check that what it is asked to pay is what the
/// seller committed to.
///
/// Fields are in the specification's order; every string is hashed as a string (`payTo` and
/// `asset` included), exactly as transmitted. The domain is `{name: "x402 offer", version: "1",
/// chainId: 1}`.
public struct OfferTypedData: Sendable, Equatable {
    /// The payload schema version (1).
    public var version: UInt256
    /// The paid resource URL.
    public var resourceUrl: String
    /// The payment scheme.
    public var scheme: String
    /// The CAIP-2 network.
    public var network: String
    /// The token, as written.
    public var asset: String
    /// The payee, as written.
    public var payTo: String
    /// The atomic amount, as written.
    public var amount: String
    /// The expiry in Unix seconds (0 = none).
    public var validUntil: UInt256

    /// The EIP-712 type string.
    public static let typeString =
        "Offer(uint256 version,string resourceUrl,string scheme,string network,string asset,string payTo,string amount,uint256 validUntil)"
    /// `keccak256` of the type string.
    public static let typeHash: [UInt8] = Keccak256.hash(utf8: typeString)
    /// The domain every offer is signed under.
    public static let domain = EIP712NamedDomain(name: "x402 offer", version: "1", chainId: 1)

    /// Creates an offer message.
    public init(version: UInt256, resourceUrl: String, scheme: String, network: String, asset: String, payTo: String,
                amount: String, validUntil: UInt256) {
        self.version = version
        self.resourceUrl = resourceUrl
        self.scheme = scheme
        self.network = network
        self.asset = asset
        self.payTo = payTo
        self.amount = amount
        self.validUntil = validUntil
    }

    /// The EIP-712 `hashStruct`.
    public var structHash: [UInt8] {
        var e = Self.typeHash
        e += version.bytes32
        for s in [resourceUrl, scheme, network, asset, payTo, amount] { e += Keccak256.hash(utf8: s) }
        e += validUntil.bytes32
        return Keccak256.hash(e)
    }

    /// The digest a signature covers.
    public var digest: [UInt8] { Self.domain.digest(structHash: structHash) }
}
