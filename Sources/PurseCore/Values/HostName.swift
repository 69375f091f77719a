/// The party a payment goes to, as the policy names it: a lower-case host name without a
/// trailing dot (`api.example.com`, `127.0.0.1`, `[::1]`), or a gateway label such as `mcp:NAME`.
///
/// It is normalized once, where the request target is parsed, and then travels as this type
/// through the policy's host lists, the per-host budgets, the plan and the ledger row, so that
/// no step can compare two spellings of the same host.
public struct HostName: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The normalized name.
    public let name: String

    /// Normalizes a host name: lower-cased, one trailing dot dropped.
    public init(_ raw: some StringProtocol) {
        var h = raw.lowercased()
        if h.hasSuffix(".") { h.removeLast() }
        self.name = h
    }

    /// Whether the name stands for this machine (`localhost`, a `.localhost` name, `127.x.x.x`,
    /// `::1`, `0.0.0.0`): what the block-explorer links and `doctor`'s ledger check treat as local.
    public var isLoopback: Bool {
        name == "localhost" || name.hasSuffix(".localhost") || name.hasPrefix("127.") || name == "::1" || name == "0.0.0.0"
    }

    public static func < (a: HostName, b: HostName) -> Bool { a.name < b.name }
    public var description: String { name }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}
