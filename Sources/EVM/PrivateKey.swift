// Purse — EVM module.
// A secp256k1 signing key that never shows itself: see PrivateKey+Redaction.swift.

import CSecp256k1
import PurseCore

/// A secp256k1 private key that signs Ethereum digests; redacted in every description.
///
/// The key bytes are reachable only through `withUnsafeKeyBytes(_:)`. `description`,
/// `debugDescription` and reflection (`Mirror`, `dump`) show the address alone.
public struct PrivateKey: Sendable {
    /// The 32 key bytes, big-endian; valid (0 < k < n) by construction.
    private let secret: [UInt8]

    /// The account address of this key, computed once when the key is created.
    public let address: Address

    /// Creates a key from 32 big-endian bytes.
    ///
    /// - Throws: `KeyError.badLength`, `.zero` or `.outOfRange` (k must satisfy 0 < k < n).
    public init(bytes: [UInt8]) throws(KeyError) {
        guard bytes.count == 32 else { throw KeyError.badLength }
        guard !Secp256k1.isZero(bytes) else { throw KeyError.zero }
        guard Secp256k1.isBelowOrder(bytes) else { throw KeyError.outOfRange }
        secret = bytes
        address = Self.deriveAddress(bytes)
    }

    /// Parses a key written as `0x` followed by exactly 64 hex digits (either case).
    ///
    /// Surrounding white space is not removed; trim input read from a file or environment first.
    /// - Throws: `KeyError.missingPrefix`, `.badLength`, `.notHex`, `.zero` or `.outOfRange`.
    public init(hex: String) throws(KeyError) {
        let utf8 = hex.utf8
        guard utf8.count >= 2, utf8.starts(with: [0x30, 0x78]) else { throw KeyError.missingPrefix }
        guard utf8.count == 66 else { throw KeyError.badLength }
        let bytes: [UInt8]
        do {
            bytes = try Hex.decode(hex, length: 32)
        } catch {
            throw KeyError.notHex
        }
        try self.init(bytes: bytes)
    }

    /// Creates a fresh key from the system's cryptographically secure random generator.
    public static func random() -> PrivateKey {
        var rng = SystemRandomNumberGenerator()
        while true {
            var bytes = [UInt8](repeating: 0, count: 32)
            for i in 0..<4 {
                let word = rng.next() as UInt64
                for j in 0..<8 { bytes[i * 8 + j] = UInt8(truncatingIfNeeded: word >> UInt64(56 - 8 * j)) }
            }
            // Fails with probability about 2^-128 (k = 0 or k >= n); draw again then.
            if let key = try? PrivateKey(bytes: bytes) { return key }
        }
    }

    /// Signs a 32-byte digest with RFC 6979 deterministic nonces, giving a low-s signature with v = 27 or 28.
    ///
    /// - Parameter digest: the 32-byte message hash, such as an EIP-712 digest.
    /// - Precondition: `digest.count == 32`.
    public func sign(digest: [UInt8]) -> Signature {
        precondition(digest.count == 32, "sign(digest:) needs a 32-byte digest")
        let ctx = Secp256k1.shared.context
        var sig = secp256k1_ecdsa_recoverable_signature()
        // libsecp256k1's RFC 6979 nonces, computed with a faster SHA-256 (`RFC6979Nonce`).
        let ok = secp256k1_ecdsa_sign_recoverable(ctx, &sig, digest, secret, RFC6979Nonce.function, nil)
        precondition(ok == 1, "libsecp256k1 refused to sign with a valid key")
        var compact = [UInt8](repeating: 0, count: 64)
        var recid: Int32 = 0
        _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, &compact, &recid, &sig)
        return Signature(r: Array(compact[0..<32]), s: Array(compact[32..<64]), v: UInt8(27 + recid))
    }

    /// Lends the raw 32 key bytes to `body`; for keystore encryption only.
    ///
    /// Do not let the bytes escape `body`, and never log or format them.
    public func withUnsafeKeyBytes<R>(_ body: ([UInt8]) throws -> R) rethrows -> R {
        try body(secret)
    }

    /// The address of a valid secret scalar.
    private static func deriveAddress(_ secret: [UInt8]) -> Address {
        let ctx = Secp256k1.shared.context
        var pubkey = secp256k1_pubkey()
        let created = secp256k1_ec_pubkey_create(ctx, &pubkey, secret)
        precondition(created == 1, "libsecp256k1 refused a key already checked to be in range")
        var out = [UInt8](repeating: 0, count: 65)
        var length = 65
        _ = secp256k1_ec_pubkey_serialize(ctx, &out, &length, &pubkey, UInt32(SECP256K1_EC_UNCOMPRESSED))
        return Address.fromPublicKey(uncompressed64: Array(out[1...]))
    }
}
