// Purse — Solana module (pure).

import PurseCore

/// A 32-byte hash written in base58; in a transaction, the recent blockhash that bounds its
/// lifetime (about 150 blocks, 60–90 seconds) and keeps it from being replayed later.
public struct SolanaHash: Sendable, Hashable, CustomStringConvertible {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// Wraps exactly 32 bytes.
    ///
    /// - Throws: `SolanaTransactionError.malformed` for any other count.
    public init(bytes: [UInt8]) throws(SolanaTransactionError) {
        guard bytes.count == 32 else { throw .malformed("a hash is 32 bytes, got \(bytes.count)") }
        self.bytes = bytes
    }

    /// Parses base58 text that stands for exactly 32 bytes.
    public init(base58 text: some StringProtocol) throws(SolanaTransactionError) {
        do { self.bytes = try Base58.decode(text, length: 32) } catch { throw .malformed("hash: \(error.message)") }
    }

    /// The base58 text.
    public var base58: String { Base58.encode(bytes) }

    public var description: String { base58 }
}
