// Purse — EVM module.

import PurseCore

/// Why bytes or text are not a usable secp256k1 private key. Never carries any key material.
public enum KeyError: CodedError, Equatable {
    /// Hex text without the required `0x` prefix.
    case missingPrefix
    /// Not 32 bytes (64 hex digits).
    case badLength
    /// A character after `0x` is not a hex digit.
    case notHex
    /// The key is zero, which is not a valid private key.
    case zero
    /// The key is not below the secp256k1 group order n.
    case outOfRange

    /// The stable code, such as `key.bad_length`.
    public var code: String {
        switch self {
        case .missingPrefix: "key.missing_prefix"
        case .badLength: "key.bad_length"
        case .notHex: "key.not_hex"
        case .zero: "key.zero"
        case .outOfRange: "key.out_of_range"
        }
    }

    /// A human-readable explanation.
    public var message: String {
        switch self {
        case .missingPrefix: "a private key must be written as 0x followed by 64 hex digits"
        case .badLength: "a private key is 32 bytes: 0x followed by exactly 64 hex digits"
        case .notHex: "a private key may contain only hex digits after 0x"
        case .zero: "the private key is zero, which is not a valid secp256k1 key"
        case .outOfRange: "the private key is not below the secp256k1 group order, so it is not a valid key"
        }
    }
}
