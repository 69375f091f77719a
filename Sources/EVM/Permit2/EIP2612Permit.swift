// Purse — EVM module.
// EIP-2612 `Permit`: a gasless ERC-20 approval, signed to let Permit2 spend one payment's amount.

/// An EIP-2612 `Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)`.
///
/// x402's `eip2612GasSponsoring` extension carries one so that the facilitator can grant Permit2
/// its allowance in the same transaction as the payment. Purse signs `value` = exactly the
/// payment's amount, never an unlimited approval.
public struct EIP2612Permit: Sendable, Equatable {
    /// The token holder (the payer).
    public var owner: Address
    /// Who is approved (Permit2).
    public var spender: Address
    /// The allowance granted.
    public var value: UInt256
    /// The token's `nonces(owner)`, read from the chain.
    public var nonce: UInt256
    /// The Unix time after which the token refuses the permit.
    public var deadline: UInt256

    /// The EIP-712 type string.
    public static let typeString = "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    /// `keccak256` of the type string: `0x6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9`.
    public static let typeHash: [UInt8] = Keccak256.hash(utf8: typeString)

    /// Creates a permit.
    public init(owner: Address, spender: Address, value: UInt256, nonce: UInt256, deadline: UInt256) {
        self.owner = owner
        self.spender = spender
        self.value = value
        self.nonce = nonce
        self.deadline = deadline
    }

    /// The EIP-712 `hashStruct` of this permit.
    public var structHash: [UInt8] {
        var encoded = Self.typeHash
        encoded.reserveCapacity(192)
        encoded += ABI.encode(owner)
        encoded += ABI.encode(spender)
        encoded += value.bytes32
        encoded += nonce.bytes32
        encoded += deadline.bytes32
        return Keccak256.hash(encoded)
    }

    /// The digest to sign under the token's domain (`extra.name`, `extra.version`, chain id, token).
    public func digest(domain: EIP712Domain) -> [UInt8] {
        Keccak256.hash([0x19, 0x01] + domain.separator + structHash)
    }
}
