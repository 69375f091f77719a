// Purse — Solana module (pure).
// A 32-byte Solana address: a wallet's Ed25519 key, a program, a mint or a derived account.

import PurseCore

/// A Solana public key (an account address): 32 bytes, written in base58.
///
/// Ordered by its bytes, because that is the order in which Solana's message compiler sorts the
/// accounts of a transaction (see `SolanaMessageV0.compile`).
public struct SolanaPublicKey: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// Wraps exactly 32 bytes.
    ///
    /// - Throws: `SolanaKeyError.badPublicKey` for any other count.
    public init(bytes: [UInt8]) throws(SolanaKeyError) {
        guard bytes.count == 32 else { throw .badPublicKey("a public key is 32 bytes, got \(bytes.count)") }
        self.bytes = bytes
    }

    /// Parses base58 text that stands for exactly 32 bytes.
    ///
    /// - Throws: `SolanaKeyError.badPublicKey` naming what was wrong (never echoing the text).
    public init(base58 text: some StringProtocol) throws(SolanaKeyError) {
        do {
            self.bytes = try Base58.decode(text, length: 32)
        } catch {
            throw .badPublicKey(error.message)
        }
    }

    /// For constants written in the source, which are known to be valid.
    init(known text: StaticString) {
        // A malformed constant is a programming error caught by the first test that touches it.
        self.bytes = try! Base58.decode("\(text)", length: 32)
    }

    /// The base58 text (32 to 44 characters).
    public var base58: String { Base58.encode(bytes) }

    public var description: String { base58 }

    /// Whether the 32 bytes are a valid Ed25519 point, as Solana decides it (see `EdwardsCurve`).
    ///
    /// Wallet keys are on the curve; program-derived addresses (such as associated token
    /// accounts) are exactly those that are not, so no private key can sign for them.
    public var isOnCurve: Bool { EdwardsCurve.isOnCurve(bytes) }

    public static func < (a: SolanaPublicKey, b: SolanaPublicKey) -> Bool {
        a.bytes.lexicographicallyPrecedes(b.bytes)
    }

    /// Decodes the base58 text.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try SolanaPublicKey(base58: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// Encodes the base58 text.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(base58)
    }
}
