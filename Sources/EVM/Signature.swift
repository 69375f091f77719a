// Purse — EVM module.
// A recoverable secp256k1 ECDSA signature in Ethereum's r ‖ s ‖ v layout.

import CSecp256k1
import PurseCore

/// A 65-byte recoverable ECDSA signature, `r ‖ s ‖ v` with v = 27 or 28, as EIP-3009 expects.
public struct Signature: Sendable, Equatable {
    /// The 32-byte r value.
    public let r: [UInt8]
    /// The 32-byte s value.
    public let s: [UInt8]
    /// The recovery byte, always 27 or 28.
    public let v: UInt8

    /// Creates a signature from parts already known to be valid.
    init(r: [UInt8], s: [UInt8], v: UInt8) {
        self.r = r
        self.s = s
        self.v = v
    }

    /// Parses 65 bytes `r ‖ s ‖ v`, accepting v as 0/1 or 27/28 and normalising it to 27/28.
    ///
    /// - Throws: `SignatureError.badLength`, `.badV`, or `.outOfRange` when r or s is 0 or ≥ n.
    public init(bytes: [UInt8]) throws(SignatureError) {
        guard bytes.count == 65 else { throw SignatureError.badLength }
        let v: UInt8
        switch bytes[64] {
        case 0, 1: v = bytes[64] + 27
        case 27, 28: v = bytes[64]
        default: throw SignatureError.badV
        }
        let r = Array(bytes[0..<32])
        let s = Array(bytes[32..<64])
        for scalar in [r, s] {
            guard !Secp256k1.isZero(scalar), Secp256k1.isBelowOrder(scalar) else { throw SignatureError.outOfRange }
        }
        self.init(r: r, s: s, v: v)
    }

    /// Parses `0x` followed by 130 hex digits; see `init(bytes:)`.
    ///
    /// - Throws: `SignatureError.notHex`, or any error of `init(bytes:)`.
    public init(hex: String) throws(SignatureError) {
        let bytes: [UInt8]
        do {
            bytes = try Hex.decode(hex)
        } catch {
            throw SignatureError.notHex
        }
        try self.init(bytes: bytes)
    }

    /// The 65 bytes `r ‖ s ‖ v`.
    public var bytes: [UInt8] { r + s + [v] }

    /// The bytes as `0x` plus 130 lower-case hex digits.
    public var hex: String { Hex.encode(bytes) }

    /// Whether s is in the lower half of the order, as libsecp256k1 produces and USDC requires.
    public var isLowS: Bool { Secp256k1.isAtMostHalfOrder(s) }

    /// Recovers the address whose key made this signature over `digest`.
    ///
    /// - Parameter digest: the 32-byte hash that was signed.
    /// - Throws: `SignatureError.badDigestLength`, or `.unrecoverable` when no public key fits.
    public func recoverAddress(digest: [UInt8]) throws(SignatureError) -> Address {
        guard digest.count == 32 else { throw SignatureError.badDigestLength }
        let ctx = Secp256k1.shared.context
        var sig = secp256k1_ecdsa_recoverable_signature()
        let compact = r + s
        guard secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &sig, compact, Int32(v) - 27) == 1 else {
            throw SignatureError.outOfRange
        }
        var pubkey = secp256k1_pubkey()
        guard secp256k1_ecdsa_recover(ctx, &pubkey, &sig, digest) == 1 else { throw SignatureError.unrecoverable }
        var out = [UInt8](repeating: 0, count: 65)
        var length = 65
        _ = secp256k1_ec_pubkey_serialize(ctx, &out, &length, &pubkey, UInt32(SECP256K1_EC_UNCOMPRESSED))
        return Address.fromPublicKey(uncompressed64: Array(out[1...]))
    }
}
