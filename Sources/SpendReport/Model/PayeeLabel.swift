import PurseCore

/// How a payee reads in the report: a web host, or an MCP tool upstream (`mcp:NAME`).
///
/// The ledger names the party a payment went to by its `HostName`; MCP upstream payments are
/// recorded as `mcp:NAME`. The report shows those as tools under their name, and links
/// neither kind anywhere: a host name is the seller's claim, not a page anyone vouched for.
public struct PayeeLabel: Sendable, Equatable {
    /// What kind of payee.
    public enum Kind: String, Sendable {
        /// A web host paid over HTTP 402.
        case host
        /// An MCP upstream's tool server, paid through Purse's gateway.
        case tool
    }

    /// Host or tool.
    public let kind: Kind
    /// The name people read: the host, or the upstream's name without `mcp:`.
    public let name: String
    /// The ledger's key for this payee, as spend-log writes it (`api.example.com`, `mcp:weather`).
    public let key: String

    /// Classifies a ledger host key.
    public init(_ key: String) {
        self.key = key
        if key.hasPrefix("mcp:"), key.count > 4 {
            kind = .tool
            name = String(key.dropFirst(4))
        } else {
            kind = .host
            name = key
        }
    }

    /// Classifies a payment's host.
    public init(_ host: HostName) { self.init(host.name) }
}
