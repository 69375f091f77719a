// Purse — PurseCore (pure; moved from the Solana module with `Base58`).

/// Why text is not the base58 that was expected.
public enum Base58Error: CodedError, Equatable {
    /// The text is empty.
    case empty
    /// The text is longer than `Base58.maxTextLength` symbols.
    case tooLong(Int)
    /// A character outside the Bitcoin alphabet (which has no `0`, `O`, `I`, `l`, nor spaces).
    case invalidCharacter(position: Int)
    /// The text decodes to another number of bytes than required.
    case wrongLength(expected: Int, actual: Int)

    /// The stable code, such as `base58.invalid_character`.
    public var code: String {
        switch self {
        case .empty: "base58.empty"
        case .tooLong: "base58.too_long"
        case .invalidCharacter: "base58.invalid_character"
        case .wrongLength: "base58.wrong_length"
        }
    }

    /// A one-line explanation; it never repeats the text, which may be a secret key.
    public var message: String {
        switch self {
        case .empty: "base58 text is empty"
        case let .tooLong(n): "base58 text of \(n) characters is longer than the \(Base58.maxTextLength) accepted"
        case let .invalidCharacter(position): "base58 text has a character outside the alphabet (1-9 A-H J-N P-Z a-k m-z) at position \(position)"
        case let .wrongLength(expected, actual): "base58 text stands for \(actual) bytes, not \(expected)"
        }
    }
}
