// Purse — EVM module.

import PurseCore

/// Why a Web3 Secret Storage (V3) keystore could not be read or written.
///
/// Messages name JSON fields and limits only; they never contain the password or key material.
public enum KeystoreError: CodedError, Equatable {
    /// The document is not JSON, or a required field is missing or has the wrong type or length.
    case malformed(field: String)
    /// `version` is not 3.
    case unsupportedVersion
    /// The key derivation function (or PBKDF2 PRF) is not scrypt or pbkdf2 with hmac-sha256.
    case unsupportedKDF
    /// The cipher is not aes-128-ctr.
    case unsupportedCipher
    /// KDF parameters outside the accepted ranges; `reason` names the limit that was broken.
    case badKDFParams(reason: String)
    /// The MAC does not match: the password is wrong (or the file was altered).
    case wrongPassword
    /// The decrypted bytes are not a valid secp256k1 private key.
    case invalidKey
    /// The key decrypts but belongs to a different address than the file's `address` field.
    case addressMismatch
    /// The cryptographic library failed unexpectedly.
    case cryptoFailure

    /// The stable code, such as `keystore.wrong_password`.
    public var code: String {
        switch self {
        case .malformed: "keystore.malformed"
        case .unsupportedVersion: "keystore.unsupported_version"
        case .unsupportedKDF: "keystore.unsupported_kdf"
        case .unsupportedCipher: "keystore.unsupported_cipher"
        case .badKDFParams: "keystore.bad_kdf_params"
        case .wrongPassword: "keystore.wrong_password"
        case .invalidKey: "keystore.invalid_key"
        case .addressMismatch: "keystore.address_mismatch"
        case .cryptoFailure: "keystore.crypto_failure"
        }
    }

    /// A human-readable explanation.
    public var message: String {
        switch self {
        case let .malformed(field): "the keystore is not a valid V3 keystore: \(field) is missing or invalid"
        case .unsupportedVersion: "only version 3 keystores are supported"
        case .unsupportedKDF: "the keystore's kdf must be scrypt or pbkdf2 (prf hmac-sha256)"
        case .unsupportedCipher: "the keystore's cipher must be aes-128-ctr"
        case let .badKDFParams(reason): "the keystore's kdf parameters are refused: \(reason)"
        case .wrongPassword: "wrong keystore password (the MAC does not match)"
        case .invalidKey: "the keystore decrypts to bytes that are not a valid secp256k1 private key"
        case .addressMismatch: "the keystore's key does not belong to the address written in the file"
        case .cryptoFailure: "the key derivation or cipher failed unexpectedly"
        }
    }
}
