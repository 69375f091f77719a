// Purse — EVM module.
// The EIP-3009 message an x402 `exact` EVM payment signs.

/// An EIP-3009 `TransferWithAuthorization` message: the payer's signed permission for one transfer.
///
/// Fields are in the type's order: `from`, `to`, `value`, `validAfter`, `validBefore`, `nonce`.
public struct TransferWithAuthorization: Sendable, Equatable {
    /// The payer, whose key signs.
    public var from: Address
    /// The payee (`payTo`).
    public var to: Address
    /// The amount in the token's atomic units.
    public var value: UInt256
    /// The Unix time after which the authorization is valid (exclusive).
    public var validAfter: UInt256
    /// The Unix time before which the authorization is valid (exclusive).
    public var validBefore: UInt256
    /// A random 32-byte nonce; the token refuses a second use of the same one.
    public var nonce: [UInt8]

    /// The EIP-712 type string.
    public static let typeString =
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"

    /// `keccak256` of the type string: `0x7c7c6cdb67a18743f49ec6fa9b35f50d52ed05cbed4cc592e13b44501c1a2267`.
    public static let typeHash: [UInt8] = Keccak256.hash(utf8: typeString)

    /// Creates a message.
    ///
    /// - Precondition: `nonce.count == 32`.
    public init(from: Address, to: Address, value: UInt256, validAfter: UInt256, validBefore: UInt256, nonce: [UInt8]) {
        precondition(nonce.count == 32, "an EIP-3009 nonce is 32 bytes")
        self.from = from
        self.to = to
        self.value = value
        self.validAfter = validAfter
        self.validBefore = validBefore
        self.nonce = nonce
    }


    /// The EIP-712 `hashStruct` of this message.
    ///
    /// - Precondition: `nonce.count == 32`.
    public var structHash: [UInt8] {
        precondition(nonce.count == 32, "an EIP-3009 nonce is 32 bytes")
        var encoded = Self.typeHash
        encoded.reserveCapacity(224)
        encoded += ABI.encode(from)
        encoded += ABI.encode(to)
        encoded += value.bytes32
        encoded += validAfter.bytes32
        encoded += validBefore.bytes32
        encoded += nonce
        return Keccak256.hash(encoded)
    }

    /// The EIP-712 digest to sign: `keccak256(0x19 0x01 ‖ domain separator ‖ structHash)`.
    public func digest(domain: EIP712Domain) -> [UInt8] {
        Keccak256.hash([0x19, 0x01] + domain.separator + structHash)
    }

    /// Signs this message under `domain` with `key`.
    ///
    /// The caller must make sure `key.address == from`, or the token will refuse the signature.
    public func sign(domain: EIP712Domain, with key: PrivateKey) -> Signature {
        key.sign(digest: digest(domain: domain))
    }
}
