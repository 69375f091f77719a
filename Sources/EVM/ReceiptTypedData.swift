// Purse — EVM module.
// The EIP-712 message of an x402 signed receipt (offer-receipt extension, §5.3).

/// The EIP-712 `Receipt` of the x402 `offer-receipt` extension: a seller's signed statement that
/// a payer paid for a resource, which a buyer keeps as evidence.
///
/// Fields are in the specification's order; strings are hashed exactly as transmitted, an
/// absent `transaction` as `""`. The domain is `{name: "x402 receipt", version: "1", chainId: 1}`.
public struct ReceiptTypedData: Sendable, Equatable {
    /// The payload schema version (1).
    public var version: UInt256
    /// The CAIP-2 network.
    public var network: String
    /// The paid resource URL.
    public var resourceUrl: String
    /// The payer, as written.
    public var payer: String
    /// When the seller issued it, Unix seconds.
    public var issuedAt: UInt256
    /// The settlement transaction, or `""`.
    public var transaction: String

    /// The EIP-712 type string.
    public static let typeString =
        "Receipt(uint256 version,string network,string resourceUrl,string payer,uint256 issuedAt,string transaction)"
    /// `keccak256` of the type string.
    public static let typeHash: [UInt8] = Keccak256.hash(utf8: typeString)
    /// The domain every receipt is signed under.
    public static let domain = EIP712NamedDomain(name: "x402 receipt", version: "1", chainId: 1)

    /// Creates a receipt message.
    public init(version: UInt256, network: String, resourceUrl: String, payer: String, issuedAt: UInt256, transaction: String) {
        self.version = version
        self.network = network
        self.resourceUrl = resourceUrl
        self.payer = payer
        self.issuedAt = issuedAt
        self.transaction = transaction
    }

    /// The EIP-712 `hashStruct`.
    public var structHash: [UInt8] {
        var e = Self.typeHash
        e += version.bytes32
        for s in [network, resourceUrl, payer] { e += Keccak256.hash(utf8: s) }
        e += issuedAt.bytes32
        e += Keccak256.hash(utf8: transaction)
        return Keccak256.hash(e)
    }

    /// The digest a signature covers.
    public var digest: [UInt8] { Self.domain.digest(structHash: structHash) }
}
