// Purse — EVM module.
// Every textual or reflective view of a PrivateKey shows the address and nothing else.

extension PrivateKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `PrivateKey(<redacted>, address: 0x…)`: the address only, never key material.
    public var description: String { "PrivateKey(<redacted>, address: \(address.checksummed))" }

    /// The same redacted text as `description`.
    public var debugDescription: String { description }

    /// A mirror with the address as its only child, so `dump` and debuggers show no key material.
    public var customMirror: Mirror {
        Mirror(self, children: ["address": address.checksummed, "secret": "<redacted>"], displayStyle: .struct)
    }
}
