// Purse — PurseCore (pure).

/// A Solana account address: 32 bytes (an ed25519 public key, or a program-derived address),
/// written in base58.
///
/// Only the value and its text form live here, so that the ledger and the payment plan can hold
/// a Solana account next to an EVM one (`ChainAccount`); keys, signing and address derivation
/// belong to the Solana module.
public struct SolanaAddress: Sendable, Hashable, CustomStringConvertible {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// Wraps exactly 32 bytes.
    ///
    /// - Throws: `ChainAccountError.badSolanaAddress` for any other count.
    public init(bytes: [UInt8]) throws(ChainAccountError) {
        guard bytes.count == 32 else { throw .badSolanaAddress("a Solana address is 32 bytes, got \(bytes.count)") }
        self.bytes = bytes
    }

    /// Parses base58 text of exactly 32 bytes.
    ///
    /// - Throws: `ChainAccountError.badSolanaAddress`.
    public init(base58 text: String) throws(ChainAccountError) {
        do { self.bytes = try Base58.decode(text, length: 32) } catch {
            throw .badSolanaAddress("not a Solana address: \(error.message)")
        }
    }

    /// The base58 text.
    public var base58: String { Base58.encode(bytes) }
    public var description: String { base58 }
}
