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
public struct SolanaMessageDigest: Bytes32Value {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// Made by `init(bytes:)` and `init(hex:)` (`Bytes32Value`), which check the length.
    public init(_ checked: CheckedBytes32) {
        bytes = checked.bytes
    }
}
