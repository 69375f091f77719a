// Purse — EVM module.
// EIP-191 version 0x45 ("personal_sign") messages, as EIP-4361 sign-in uses them.

/// An EIP-191 `personal_sign` message: the text is prefixed with
/// `"\u{19}Ethereum Signed Message:\n" + byte length` before hashing, so a signature over it can
/// never be mistaken for a transaction or an EIP-712 (`0x19 0x01`) authorization.
public struct PersonalMessage: Sendable, Equatable {
    /// The exact UTF-8 bytes that are signed (after the prefix).
    public let bytes: [UInt8]

    /// A message of this text's UTF-8 bytes.
    public init(text: String) { bytes = Array(text.utf8) }

    /// The 32-byte digest that is signed: `keccak256(0x19 ‖ "Ethereum Signed Message:\n" ‖ len ‖ bytes)`.
    public var digest: [UInt8] {
        Keccak256.hash(Array("\u{19}Ethereum Signed Message:\n\(bytes.count)".utf8) + bytes)
    }

    /// Signs the message with `key` (RFC 6979, low-s, v = 27/28).
    public func sign(with key: PrivateKey) -> Signature { key.sign(digest: digest) }
}
