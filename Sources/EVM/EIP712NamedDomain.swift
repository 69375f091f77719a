// Purse — EVM module.
// An EIP-712 domain without a verifying contract, for off-chain artifacts.

/// An EIP-712 domain `EIP712Domain(string name,string version,uint256 chainId)`: the domain of
/// artifacts that no contract verifies, such as x402's signed offers (`x402 offer`) and receipts
/// (`x402 receipt`), whose chain id the specification fixes at 1.
public struct EIP712NamedDomain: Sendable, Equatable {
    /// The domain name.
    public var name: String
    /// The domain version.
    public var version: String
    /// The chain id.
    public var chainId: UInt64

    /// `keccak256("EIP712Domain(string name,string version,uint256 chainId)")`.
    public static let typeHash: [UInt8] = Keccak256.hash(utf8: "EIP712Domain(string name,string version,uint256 chainId)")

    /// Creates a domain.
    public init(name: String, version: String, chainId: UInt64) {
        self.name = name
        self.version = version
        self.chainId = chainId
    }

    /// The 32-byte domain separator.
    public var separator: [UInt8] {
        Keccak256.hash(Self.typeHash + Keccak256.hash(utf8: name) + Keccak256.hash(utf8: version) + UInt256(chainId).bytes32)
    }

    /// The digest to sign for a struct hash under this domain: `keccak256(0x19 0x01 ‖ separator ‖ structHash)`.
    public func digest(structHash: [UInt8]) -> [UInt8] {
        Keccak256.hash([0x19, 0x01] + separator + structHash)
    }
}
