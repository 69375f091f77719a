// Purse — Solana module (pure).
// A wallet's Ed25519 key that never shows itself: see SolanaKeypair+Redaction.swift.

import Crypto
import Foundation
import PurseCore

/// A Solana wallet key (Ed25519), redacted in every description.
///
/// Solana tools keep a key as 64 bytes, the 32-byte secret seed followed by the 32-byte public
/// key: the Solana CLI writes them as a JSON array (`solana-keygen new`), wallets export them as
/// base58. Both forms are checked on the way in (the public half must be the one the seed gives),
/// so a corrupted file is refused rather than signing as some other account.
///
/// Signing uses swift-crypto's `Curve25519.Signing` (BoringSSL on Linux, which signs
/// deterministically as RFC 8032 says; CryptoKit on Apple platforms adds randomness, so
/// signatures there are valid but differ from run to run).
public struct SolanaKeypair: Sendable {
    /// The 32-byte secret seed. Kept as bytes (swift-crypto's key type is not `Sendable`) and
    /// turned into a `Curve25519.Signing.PrivateKey` for each signature.
    private let seed: [UInt8]

    /// The account address of this key.
    public let publicKey: SolanaPublicKey

    /// Creates a keypair from a 32-byte seed (the first half of a Solana secret key).
    ///
    /// - Throws: `SolanaKeyError.badSecretLength` for another length.
    public init(seed: [UInt8]) throws(SolanaKeyError) {
        guard seed.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw .badSecretLength(seed.count)
        }
        self.init(key: key)
    }

    /// Creates a keypair from Solana's 64-byte secret key (seed ‖ public key), checking that the
    /// public half belongs to the seed; a 32-byte seed alone is accepted too.
    ///
    /// - Throws: `SolanaKeyError.badSecretLength` or `.publicKeyMismatch`.
    public init(secretKey bytes: [UInt8]) throws(SolanaKeyError) {
        switch bytes.count {
        case 32:
            try self.init(seed: bytes)
        case 64:
            try self.init(seed: Array(bytes[0..<32]))
            guard publicKey.bytes == Array(bytes[32..<64]) else { throw .publicKeyMismatch }
        default:
            throw .badSecretLength(bytes.count)
        }
    }

    /// Parses a secret key written in base58, as `PURSE_SOLANA_KEY` holds it (the 64-byte form
    /// that wallets export, or a 32-byte seed). Surrounding white space is not removed.
    ///
    /// - Throws: `SolanaKeyError.badSecretText`, `.badSecretLength` or `.publicKeyMismatch`.
    public init(base58Secret text: some StringProtocol) throws(SolanaKeyError) {
        let bytes: [UInt8]
        do { bytes = try Base58.decode(text) } catch { throw .badSecretText(error.message) }
        try self.init(secretKey: bytes)
    }

    /// Parses the contents of a Solana CLI keypair file: a JSON array of the 64 secret-key bytes.
    ///
    /// - Throws: `SolanaKeyError.badKeypairFile` when the text is not a JSON array of exactly 64
    ///   integers in 0…255 (messages never show the numbers), or `.publicKeyMismatch`.
    public init(keypairFileContents contents: some Collection<UInt8>) throws(SolanaKeyError) {
        let document: JSONValue
        do { document = try JSONParser(maxDepth: 2, maxBytes: 4096).parse(contents) } catch {
            throw .badKeypairFile("not JSON (\(error.code))")
        }
        guard let elements = document.arrayValue else { throw .badKeypairFile("the top level is a JSON \(document.typeName), not an array") }
        guard elements.count == 64 else { throw .badKeypairFile("the array has \(elements.count) elements") }
        var bytes = [UInt8]()
        bytes.reserveCapacity(64)
        for (i, element) in elements.enumerated() {
            guard case let .number(text) = element, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  text.utf8.count <= 3, let value = UInt8(text)
            else { throw .badKeypairFile("element \(i) is not an integer from 0 to 255") }
            bytes.append(value)
        }
        try self.init(secretKey: bytes)
    }

    private init(key: Curve25519.Signing.PrivateKey) {
        self.seed = Array(key.rawRepresentation)
        // swift-crypto always gives 32 bytes for an Ed25519 public key.
        self.publicKey = try! SolanaPublicKey(bytes: Array(key.publicKey.rawRepresentation))
    }

    /// A new key from the system's cryptographically secure random generator (`purse keygen --solana`).
    public static func generate() -> SolanaKeypair {
        SolanaKeypair(key: Curve25519.Signing.PrivateKey())
    }

    /// Signs bytes with Ed25519; for a v0 transaction these are the serialized message,
    /// version prefix included (`SolanaMessageV0.serialized()`).
    public func sign(_ message: [UInt8]) -> SolanaSignature {
        // The seed was loaded once already, and signing with a valid key cannot fail.
        let key = try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        let signature = try! key.signature(for: Data(message))
        return SolanaSignature(unchecked: Array(signature))
    }

    /// The text of a Solana CLI keypair file for this key: `[n,n,…]` with the 64 secret-key bytes.
    ///
    /// The bytes are secret: write them only to a new file of mode 0600, and never log them.
    public func keypairFileContents() -> [UInt8] {
        let secret = seed + publicKey.bytes
        return Array(("[" + secret.map { String($0) }.joined(separator: ",") + "]").utf8)
    }

    /// Lends the 64-byte secret key (seed ‖ public key) to `body`, for tests and export only.
    ///
    /// Do not let the bytes escape `body`, and never log or format them.
    public func withUnsafeSecretKey<R>(_ body: ([UInt8]) throws -> R) rethrows -> R {
        try body(seed + publicKey.bytes)
    }
}
