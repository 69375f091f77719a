import PurseCore

/// A host name or `*.domain` pattern from the policy's host lists.
public struct HostPattern: Sendable, Hashable {
    /// The pattern, lower-cased.
    public let text: String

    /// Creates a pattern; the text is lower-cased.
    public init(_ text: String) { self.text = text.lowercased() }

    /// Whether `host` matches: exactly, or for `*.example.com`, any subdomain of example.com
    /// (not example.com itself).
    public func matches(_ host: HostName) -> Bool {
        let h = host.name
        if text.hasPrefix("*.") { return h.hasSuffix(String(text.dropFirst(1))) && h.count > text.count - 1 }
        return h == HostName(text).name
    }
}
