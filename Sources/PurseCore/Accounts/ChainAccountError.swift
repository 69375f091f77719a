// Purse — PurseCore (pure).

/// Why text is not an account of a chain Purse knows.
public enum ChainAccountError: CodedError, Equatable {
    /// `0x` text that is not a valid EVM address.
    case badEVMAddress(AddressError)
    /// Text that is not base58 of 32 bytes.
    case badSolanaAddress(String)

    /// The stable code: the address error's own (`address.bad_checksum`, …) or `account.bad_solana_address`.
    public var code: String {
        switch self {
        case let .badEVMAddress(e): e.code
        case .badSolanaAddress: "account.bad_solana_address"
        }
    }

    /// A human-readable explanation.
    public var message: String {
        switch self {
        case let .badEVMAddress(e): e.message
        case let .badSolanaAddress(m): m
        }
    }
}
