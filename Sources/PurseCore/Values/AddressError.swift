// Purse — PurseCore (pure).

/// Why bytes or text are not a valid address.
public enum AddressError: CodedError, Equatable {
    /// The text does not start with `0x`.
    case missingPrefix
    /// Not 20 bytes (40 hex digits).
    case badLength
    /// A character after `0x` is not a hex digit.
    case notHex
    /// Mixed-case text whose case does not match its EIP-55 checksum (likely a typo).
    case badChecksum

    /// The stable code, such as `address.bad_checksum`.
    public var code: String {
        switch self {
        case .missingPrefix: "address.missing_prefix"
        case .badLength: "address.bad_length"
        case .notHex: "address.not_hex"
        case .badChecksum: "address.bad_checksum"
        }
    }

    /// A human-readable explanation.
    public var message: String {
        switch self {
        case .missingPrefix: "an address must start with 0x"
        case .badLength: "an address is 20 bytes: 0x followed by exactly 40 hex digits"
        case .notHex: "an address may contain only hex digits after 0x"
        case .badChecksum: "the address's mixed upper/lower case does not match its EIP-55 checksum; check it for typos"
        }
    }
}
