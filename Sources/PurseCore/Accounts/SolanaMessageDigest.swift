// Purse — PurseCore (pure).

/// The SHA-256 of a Solana payment transaction's serialized message: what names a Solana payment
/// in the ledger before it is signed.
///
/// A Solana payment has no nonce of its own: the whole message (blockhash, memo, transfer, fee
/// payer) is its replay protection, and the transaction's id is the fee payer's signature, which
/// only the facilitator knows. The plan fixes every byte of the message before the reservation,
/// so its digest can be stored before anything is signed; and since Ed25519 signatures are
/// deterministic (RFC 8032), the digest also fixes the payer's signature, which the signed
/// payload stored at `sent` carries. Reconcile recognises the payment on chain by either.
public struct SolanaMessageDigest: Sendable, Hashable, CustomStringConvertible {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// Wraps exactly 32 bytes.
    ///
    /// - Throws: `HexError.wrongLength` for any other count.
    public init(bytes: [UInt8]) throws(HexError) {
        guard bytes.count == 32 else { throw .wrongLength(expected: 32, actual: bytes.count) }
        self.bytes = bytes
    }

    /// Parses `0x` and 64 hex digits (as the ledger stores it).
    public init(hex: String) throws(HexError) {
        self.bytes = try Hex.decode(hex, length: 32)
    }

    /// `0x` and 64 lower-case hex digits.
    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }
}
