// Purse — EVM module.
// Just enough Solidity ABI to build and read the eth_calls Purse makes against a token.

/// Minimal Solidity ABI encoding and decoding for the token calls and events Purse uses.
public enum ABI {
    /// The 4-byte function selector: the first 4 bytes of `keccak256(signature)`.
    ///
    /// - Parameter signature: the canonical signature, such as `balanceOf(address)`.
    public static func selector(_ signature: String) -> [UInt8] {
        Array(Keccak256.hash(utf8: signature).prefix(4))
    }

    /// An address as a 32-byte ABI word (left-padded with zeros).
    public static func encode(_ address: Address) -> [UInt8] {
        [UInt8](repeating: 0, count: 12) + address.bytes
    }

    /// A `uint256` as a 32-byte ABI word.
    public static func encode(_ value: UInt256) -> [UInt8] {
        value.bytes32
    }

    /// Call data for `balanceOf(address)` (selector `0x70a08231`).
    public static func balanceOfCall(owner: Address) -> [UInt8] {
        selector("balanceOf(address)") + encode(owner)
    }

    /// Call data for EIP-3009 `authorizationState(address,bytes32)` (selector `0xe94a0102`).
    ///
    /// - Precondition: `nonce.count == 32`.
    public static func authorizationStateCall(authorizer: Address, nonce: [UInt8]) -> [UInt8] {
        precondition(nonce.count == 32, "an EIP-3009 nonce is 32 bytes")
        return selector("authorizationState(address,bytes32)") + encode(authorizer) + nonce
    }

    /// Decodes return data holding a single `uint256`.
    ///
    /// - Throws: `ABIError.emptyReturn` for `0x` (often: no contract at that address), else
    ///   `.badLength` unless exactly 32 bytes.
    public static func decodeUInt256(_ returnData: [UInt8]) throws(ABIError) -> UInt256 {
        guard !returnData.isEmpty else { throw ABIError.emptyReturn }
        guard returnData.count == 32 else { throw ABIError.badLength }
        return UInt256(bytes32: returnData)
    }

    /// Decodes return data holding a single `bool`.
    ///
    /// - Throws: `ABIError.emptyReturn`, `.badLength`, or `.badBool` when the word is neither 0 nor 1.
    public static func decodeBool(_ returnData: [UInt8]) throws(ABIError) -> Bool {
        guard !returnData.isEmpty else { throw ABIError.emptyReturn }
        guard returnData.count == 32 else { throw ABIError.badLength }
        guard returnData[0..<31].allSatisfy({ $0 == 0 }), returnData[31] <= 1 else { throw ABIError.badBool }
        return returnData[31] == 1
    }

    /// Topic 0 of EIP-3009's `AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)` event.
    public static let authorizationUsedTopic: [UInt8] = Keccak256.hash(utf8: "AuthorizationUsed(address,bytes32)")

    /// Topic 0 of ERC-20's `Transfer(address indexed from, address indexed to, uint256 value)` event.
    public static let transferTopic: [UInt8] = Keccak256.hash(utf8: "Transfer(address,address,uint256)")
}
