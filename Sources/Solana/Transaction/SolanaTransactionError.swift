// Purse — Solana module (pure).

import PurseCore

/// Why bytes are not a transaction Purse can read, or a transaction could not be built.
public enum SolanaTransactionError: CodedError, Equatable {
    /// The bytes do not follow the wire format (truncated, trailing bytes, a bad length or index).
    case malformed(String)
    /// A legacy message, or a message version other than 0.
    case unsupportedVersion(String)
    /// The serialized transaction is over the 1232 bytes a Solana packet carries.
    case tooLarge(Int)
    /// The instructions need more accounts than a message can index.
    case tooManyAccounts(Int)

    /// The stable code, such as `solana.transaction_malformed`.
    public var code: String {
        switch self {
        case .malformed: "solana.transaction_malformed"
        case .unsupportedVersion: "solana.transaction_version"
        case .tooLarge: "solana.transaction_too_large"
        case .tooManyAccounts: "solana.transaction_too_many_accounts"
        }
    }

    /// A one-line explanation.
    public var message: String {
        switch self {
        case let .malformed(why): "malformed Solana transaction: \(why)"
        case let .unsupportedVersion(what): "unsupported Solana transaction version: \(what) (only v0 is read)"
        case let .tooLarge(n): "the Solana transaction is \(n) bytes, over the \(SolanaTransaction.maxSize) a packet carries"
        case let .tooManyAccounts(n): "the instructions reference \(n) accounts, more than a message can index"
        }
    }
}
