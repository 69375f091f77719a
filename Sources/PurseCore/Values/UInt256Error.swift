// Purse — PurseCore (moved from EVM: X402 payloads need uint256 decimal text too).


/// Why decimal text could not become a `UInt256`.
public enum UInt256Error: CodedError, Equatable {
    /// The text had no digits.
    case empty
    /// A character other than an ASCII digit (signs, spaces, dots and exponents included).
    case notDecimal
    /// The value is 2^256 or more.
    case overflow

    /// The stable code: `uint256.empty`, `uint256.not_decimal` or `uint256.overflow`.
    public var code: String {
        switch self {
        case .empty: "uint256.empty"
        case .notDecimal: "uint256.not_decimal"
        case .overflow: "uint256.overflow"
        }
    }

    /// A human-readable explanation.
    public var message: String {
        switch self {
        case .empty: "an unsigned integer needs at least one digit"
        case .notDecimal: "an unsigned integer must be plain decimal digits, with no sign, spaces, dot or exponent"
        case .overflow: "the number does not fit in 256 bits"
        }
    }
}
