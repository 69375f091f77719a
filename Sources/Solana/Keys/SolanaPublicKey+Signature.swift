// Purse — Solana module (pure).

import Crypto
import Foundation

extension SolanaPublicKey {
    /// Whether `signature` is a valid Ed25519 signature of `message` by this key.
    ///
    /// For checking the signatures a transaction carries (our own before it leaves, in tests a
    /// co-signer's); Solana verifies every signature itself before running a transaction.
    public func isValidSignature(_ signature: SolanaSignature, for message: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else { return false }
        return key.isValidSignature(Data(signature.bytes), for: Data(message))
    }
}
