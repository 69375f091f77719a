// Purse — Solana module (pure).
// Solana's "is this 32-byte string an Ed25519 point" test, the heart of address derivation.

/// The twisted Edwards curve of Ed25519, −x² + y² = 1 + d·x²·y² over GF(2^255 − 19), as far as
/// Solana's address rules need it.
///
/// A program-derived address (every associated token account is one) is a hash that is *not*
/// a valid point, so that no private key can sign for it. "Valid" is whatever
/// curve25519-dalek's `CompressedEdwardsY::decompress` accepts, because that is what the Solana
/// SDK calls (`Pubkey::is_on_curve`, `create_program_address`). Its rules are looser than a
/// strict Ed25519 point check, and the differences decide real addresses:
///
/// - the sign bit (bit 255) is ignored for validity, even when x = 0 and the sign says "negative";
/// - y is read modulo p, so a non-canonical y in p…2^255−1 is accepted;
/// - points of small order and points with a torsion component are accepted.
///
/// libsodium's `crypto_core_ed25519_is_valid_point` refuses the last three kinds, and an ATA
/// derived with it is a different (wrong) account; `solana_vectors.json` has a case of each.
enum EdwardsCurve {
    /// Whether `bytes` (32 bytes, y little-endian with x's sign in bit 255) decompress to a point.
    ///
    /// dalek computes u = y² − 1 and v = d·y² + 1 and asks `sqrt_ratio_i(u, v)` whether u/v has a
    /// square root; that flag is its only test. v is never zero (−1/d is not a square mod p), so
    /// the flag is true exactly when u·v is a square (u/v = u·v / v², and zero counts).
    static func isOnCurve(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 32 else { return false }
        let y = FieldElement(littleEndian: bytes)
        let yy = y * y
        let u = yy - .one
        let v = yy * .d + .one
        return (u * v).isSquare
    }
}
