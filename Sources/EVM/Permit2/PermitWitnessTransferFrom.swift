// Purse — EVM module.
// The Permit2 message that x402 `exact` (assetTransferMethod permit2) and `upto` sign.

/// A Permit2 `PermitWitnessTransferFrom`: the payer's signed permission for one transfer of at
/// most `amount` of `token` by `spender`, bound to a witness that fixes the recipient.
///
/// x402 signs it with the spender set to one of its proxies, which move the tokens only to
/// `witness.to`: the `exact` proxy moves exactly `amount`; the `upto` proxy moves any amount up
/// to it, and only when called by `witness.facilitator`.
public struct PermitWitnessTransferFrom: Sendable, Equatable {
    /// The witness struct, whose type is part of the signed type string.
    public enum Witness: Sendable, Equatable {
        /// `Witness(address to,uint256 validAfter)`: x402 `exact` through the exact proxy.
        case exact(to: Address, validAfter: UInt256)
        /// `Witness(address to,address facilitator,uint256 validAfter)`: x402 `upto`; only
        /// `facilitator` may settle it.
        case upto(to: Address, facilitator: Address, validAfter: UInt256)

        /// The witness's EIP-712 type string.
        public var typeString: String {
            switch self {
            case .exact: "Witness(address to,uint256 validAfter)"
            case .upto: "Witness(address to,address facilitator,uint256 validAfter)"
            }
        }

        /// The EIP-712 `hashStruct` of the witness.
        public var structHash: [UInt8] {
            var encoded = Keccak256.hash(utf8: typeString)
            switch self {
            case let .exact(to, validAfter):
                encoded += ABI.encode(to) + validAfter.bytes32
            case let .upto(to, facilitator, validAfter):
                encoded += ABI.encode(to) + ABI.encode(facilitator) + validAfter.bytes32
            }
            return Keccak256.hash(encoded)
        }

        /// The recipient.
        public var to: Address {
            switch self {
            case let .exact(to, _), let .upto(to, _, _): to
            }
        }
    }

    /// The token (`permitted.token`).
    public var token: Address
    /// The most the spender may move (`permitted.amount`): the price for `exact`, the maximum for `upto`.
    public var amount: UInt256
    /// Who may call Permit2 with this signature (an x402 proxy).
    public var spender: Address
    /// Permit2's unordered nonce: any unused uint256 of the payer's.
    public var nonce: UInt256
    /// The Unix time after which Permit2 refuses the signature.
    public var deadline: UInt256
    /// The witness.
    public var witness: Witness

    /// `TokenPermissions(address token,uint256 amount)`.
    public static let tokenPermissionsType = "TokenPermissions(address token,uint256 amount)"

    /// Creates a message.
    public init(token: Address, amount: UInt256, spender: Address, nonce: UInt256, deadline: UInt256, witness: Witness) {
        self.token = token
        self.amount = amount
        self.spender = spender
        self.nonce = nonce
        self.deadline = deadline
        self.witness = witness
    }

    /// The full EIP-712 type string: the primary type, then the referenced types in
    /// alphabetical order (`TokenPermissions`, `Witness`).
    public var typeString: String {
        "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,Witness witness)"
            + Self.tokenPermissionsType + witness.typeString
    }

    /// The EIP-712 `hashStruct` of this message.
    public var structHash: [UInt8] {
        let permitted = Keccak256.hash(Keccak256.hash(utf8: Self.tokenPermissionsType) + ABI.encode(token) + amount.bytes32)
        var encoded = Keccak256.hash(utf8: typeString)
        encoded.reserveCapacity(192)
        encoded += permitted
        encoded += ABI.encode(spender)
        encoded += nonce.bytes32
        encoded += deadline.bytes32
        encoded += witness.structHash
        return Keccak256.hash(encoded)
    }

    /// The digest to sign: `keccak256(0x19 0x01 ‖ Permit2 domain separator ‖ structHash)`.
    public func digest(domain: Permit2Domain) -> [UInt8] {
        Keccak256.hash([0x19, 0x01] + domain.separator + structHash)
    }
}
