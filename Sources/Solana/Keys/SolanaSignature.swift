// Purse — Solana module (pure).

import PurseCore

/// An Ed25519 signature as Solana writes it: 64 bytes, base58.
///
/// A transaction's first signature is its id (what `getSignatureStatuses` and `getTransaction`
/// take, and what an x402 receipt's `transaction` holds). The payer's own signature is known
/// before sending, so it is also how Purse recognises its transaction on the chain.
public struct SolanaSignature: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The 64 bytes.
    public let bytes: [UInt8]

    /// The empty slot of a signer that has not signed yet: 64 zero bytes.
    public static let empty = SolanaSignature(unchecked: [UInt8](repeating: 0, count: 64))

    /// Wraps exactly 64 bytes.
    ///
    /// - Throws: `SolanaTransactionError.malformed` for any other count.
    public init(bytes: [UInt8]) throws(SolanaTransactionError) {
        guard bytes.count == 64 else { throw .malformed("a signature is 64 bytes, got \(bytes.count)") }
        self.bytes = bytes
    }

    /// Parses base58 text that stands for exactly 64 bytes.
    public init(base58 text: some StringProtocol) throws(SolanaTransactionError) {
        do { self.bytes = try Base58.decode(text, length: 64) } catch { throw .malformed("signature: \(error.message)") }
    }

    init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// The base58 text (up to 88 characters).
    public var base58: String { Base58.encode(bytes) }

    public var description: String { base58 }

    /// Whether this is the empty slot (all zero bytes).
    public var isEmpty: Bool { bytes.allSatisfy { $0 == 0 } }

    /// Decodes the base58 text.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try SolanaSignature(base58: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// Encodes the base58 text.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(base58)
    }
}
