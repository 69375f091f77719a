// Purse — PurseCore (pure).

/// An account on any chain Purse pays on: the payer, the payee or the token (an ERC-20 contract
/// or an SPL mint) of a payment.
///
/// The payment plan and the ledger name accounts with this type, so one ledger row, spend-log
/// line or budget sum holds EVM and Solana payments alike. Its text form (`text`) is the chain's
/// own: EIP-55 for EVM, base58 for Solana. The two never collide: EVM text starts with `0x`, and
/// `0` is not a base58 digit.
public enum ChainAccount: Sendable, Hashable, CustomStringConvertible, Codable {
    /// An EVM address.
    case evm(Address)
    /// A Solana address.
    case solana(SolanaAddress)

    /// Parses either text form: `0x` + 40 hex digits (EIP-55 checked when mixed case), else
    /// base58 of 32 bytes.
    ///
    /// - Throws: `ChainAccountError`.
    public init(parsing text: String) throws(ChainAccountError) {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            do { self = .evm(try Address(parsing: text)) } catch { throw .badEVMAddress(error) }
        } else {
            self = .solana(try SolanaAddress(base58: text))
        }
    }

    /// Parses `text` as an account of `family`.
    ///
    /// - Throws: `ChainAccountError`, also when the text is the other family's.
    public init(parsing text: String, family: ChainFamily) throws(ChainAccountError) {
        switch family {
        case .evm:
            do { self = .evm(try Address(parsing: text)) } catch { throw .badEVMAddress(error) }
        case .solana:
            self = .solana(try SolanaAddress(base58: text))
        }
    }

    /// The chain family.
    public var family: ChainFamily {
        switch self {
        case .evm: .evm
        case .solana: .solana
        }
    }

    /// The text form: EIP-55 checksummed for EVM, base58 for Solana.
    public var text: String {
        switch self {
        case let .evm(a): a.checksummed
        case let .solana(s): s.base58
        }
    }

    /// The EVM address, when this is one.
    public var evmAddress: Address? {
        if case let .evm(a) = self { return a }
        return nil
    }

    /// The Solana address, when this is one.
    public var solanaAddress: SolanaAddress? {
        if case let .solana(s) = self { return s }
        return nil
    }

    public var description: String { text }

    /// Decodes the text form.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try ChainAccount(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// Encodes the text form.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}
