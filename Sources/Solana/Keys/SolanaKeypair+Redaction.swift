// Purse — Solana module (pure).
// Every textual or reflective view of a SolanaKeypair shows the address and nothing else.

extension SolanaKeypair: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `SolanaKeypair(<redacted>, address: …)`: the address only, never key material.
    public var description: String { "SolanaKeypair(<redacted>, address: \(publicKey.base58))" }

    /// The same redacted text as `description`.
    public var debugDescription: String { description }

    /// A mirror with the address as its only child, so `dump` and debuggers show no key material.
    public var customMirror: Mirror {
        Mirror(self, children: ["address": publicKey.base58, "secret": "<redacted>"], displayStyle: .struct)
    }
}
