// Purse — EVM module.
// The EIP-712 domain of the Permit2 contract, which has no version field.

/// Permit2's EIP-712 domain: `EIP712Domain(string name,uint256 chainId,address verifyingContract)`
/// with `name = "Permit2"`.
///
/// Unlike a token's domain (`EIP712Domain`), Permit2's has no `version`; signing it with a version
/// would give a digest the contract never accepts, so it has a type of its own.
public struct Permit2Domain: Sendable, Equatable {
    /// The EVM chain id.
    public var chainId: UInt64
    /// The Permit2 contract (canonically `0x000000000022D473030F116dDEE9F6B43aC78BA3`).
    public var verifyingContract: Address

    /// `keccak256("EIP712Domain(string name,uint256 chainId,address verifyingContract)")`.
    public static let typeHash: [UInt8] = Keccak256.hash(utf8: "EIP712Domain(string name,uint256 chainId,address verifyingContract)")

    /// Creates the domain of the Permit2 contract at `verifyingContract` on `chainId`.
    public init(chainId: UInt64, verifyingContract: Address) {
        self.chainId = chainId
        self.verifyingContract = verifyingContract
    }

    /// The 32-byte domain separator (what Permit2's `DOMAIN_SEPARATOR()` returns).
    public var separator: [UInt8] {
        var encoded = Self.typeHash
        encoded.reserveCapacity(128)
        encoded += Keccak256.hash(utf8: "Permit2")
        encoded += UInt256(chainId).bytes32
        encoded += ABI.encode(verifyingContract)
        return Keccak256.hash(encoded)
    }
}
