// Purse — EVM module.

import PurseCore

/// Why bytes are not a usable signature, or recovery failed.
public enum SignatureError: CodedError, Equatable {
    /// Not 65 bytes.
    case badLength
    /// Hex text that does not decode.
    case notHex
    /// The last byte is not 0, 1, 27 or 28.
    case badV
    /// r or s is zero or not below the curve order.
    case outOfRange
    /// The digest to recover against is not 32 bytes.
    case badDigestLength
    /// No public key matches this signature and digest.
    case unrecoverable

    /// The stable code, such as `signature.bad_v`.
    public var code: String {
        switch self {
        case .badLength: "signature.bad_length"
        case .notHex: "signature.not_hex"
        case .badV: "signature.bad_v"
        case .outOfRange: "signature.out_of_range"
        case .badDigestLength: "signature.bad_digest_length"
        case .unrecoverable: "signature.unrecoverable"
        }
    }

    /// A human-readable explanation.
    public var message: String {
        switch self {
        case .badLength: "a signature is 65 bytes: r, s and v"
        case .notHex: "the signature is not valid hex"
        case .badV: "the signature's v byte must be 0, 1, 27 or 28"
        case .outOfRange: "the signature's r or s is zero or not below the secp256k1 order"
        case .badDigestLength: "the signed digest must be 32 bytes"
        case .unrecoverable: "no public key can be recovered from this signature and digest"
        }
    }
}
