// Purse — EVM module.
// The EIP-712 domain of a token contract: name, version, chain id and contract address.

/// An EIP-712 domain `EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)`.
///
/// For x402 `exact` payments: `name` and `version` come from the requirement's `extra`, `chainId`
/// from the CAIP-2 network (`eip155:<id>`) and `verifyingContract` from `asset`.
public struct EIP712Domain: Sendable, Hashable {
    /// The token's EIP-712 name, such as `USD Coin` or `USDC`.
    public var name: String
    /// The token's EIP-712 version, such as `2`.
    public var version: String
    /// The EVM chain id, such as 8453 for Base.
    public var chainId: UInt64
    /// The token contract.
    public var verifyingContract: Address

    /// `keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")`.
    public static let typeHash: [UInt8] = Keccak256.hash(
        utf8: "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")

    /// Creates a domain.
    public init(name: String, version: String, chainId: UInt64, verifyingContract: Address) {
        self.name = name
        self.version = version
        self.chainId = chainId
        self.verifyingContract = verifyingContract
    }

    /// The 32-byte domain separator, the EIP-712 `hashStruct` of this domain: three Keccak
    /// hashes, remembered per domain since a wallet pays few tokens (the table empties when full).
    public var separator: [UInt8] { Self.separators.value(for: self) { $0.computedSeparator } }

    private static let separators = BoundedMemo<EIP712Domain, [UInt8]>(capacity: 64)

    private var computedSeparator: [UInt8] {
        var encoded = Self.typeHash
        encoded.reserveCapacity(160)
        encoded += Keccak256.hash(utf8: name)
        encoded += Keccak256.hash(utf8: version)
        encoded += UInt256(chainId).bytes32
        encoded += ABI.encode(verifyingContract)
        return Keccak256.hash(encoded)
    }
}
