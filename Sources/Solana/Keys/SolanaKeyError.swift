// Purse — Solana module (pure).

import PurseCore

/// Why bytes or text are not a usable Solana key. Never carries any key material.
public enum SolanaKeyError: CodedError, Equatable {
    /// Not a 32-byte public key (wrong length, or base58 that does not decode).
    case badPublicKey(String)
    /// A secret key that is not 32 bytes (a seed) or 64 bytes (seed and public key).
    case badSecretLength(Int)
    /// The public half of a 64-byte secret key is not the key its secret half gives.
    case publicKeyMismatch
    /// A keypair file that is not a JSON array of 64 integers from 0 to 255.
    case badKeypairFile(String)
    /// A base58 secret key whose text does not decode.
    case badSecretText(String)

    /// The stable code, such as `solana.key_mismatch`.
    public var code: String {
        switch self {
        case .badPublicKey: "solana.bad_public_key"
        case .badSecretLength: "solana.key_bad_length"
        case .publicKeyMismatch: "solana.key_mismatch"
        case .badKeypairFile: "solana.keypair_file_malformed"
        case .badSecretText: "solana.key_bad_base58"
        }
    }

    /// A one-line explanation.
    public var message: String {
        switch self {
        case let .badPublicKey(why): "not a Solana public key: \(why)"
        case let .badSecretLength(n): "a Solana secret key is 64 bytes (secret and public key, as the Solana CLI writes it) or a 32-byte seed, got \(n) bytes"
        case .publicKeyMismatch: "the last 32 bytes of the Solana secret key are not the public key of its first 32 bytes; the key is corrupt"
        case let .badKeypairFile(why): "not a Solana CLI keypair file (a JSON array of 64 numbers from 0 to 255): \(why)"
        case let .badSecretText(why): "the Solana secret key is not base58: \(why)"
        }
    }
}
