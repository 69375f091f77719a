import PurseCore
import X402

/// One checked entry of a Bazaar catalog: a paid HTTP endpoint or MCP tool, with its price list.
///
/// Built only by `CatalogParser`, so every value is already validated: the resource is an
/// http(s) URL that libcurl parses (`host` is the host it would connect to, the one the policy
/// judges), the offer is the item's `accepts` read by the same x402 parser as a live 402, and
/// the free text is cleaned and clipped (`CatalogText`).
public struct CatalogItem: Sendable, Equatable {
    /// What kind of thing is sold.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// An HTTP endpoint: pay it with `paid_fetch`.
        case http
        /// A tool on an MCP server: `resource` is the server URL, `toolName` the tool.
        case mcp
    }

    /// The resource URL as the catalog wrote it (an HTTP endpoint, or an MCP server).
    public let resource: String
    /// The host of `resource` as libcurl parses it.
    public let host: HostName
    /// HTTP endpoint or MCP tool.
    public let kind: Kind
    /// The tool's name, for MCP items.
    public let toolName: String?
    /// The item's `accepts`, as a payment-required offer (what the seller's 402 would say).
    public let offer: PaymentRequired
    /// The description, cleaned and clipped; untrusted.
    public let description: String?
    /// The service name, cleaned and clipped; untrusted.
    public let serviceName: String?
    /// The tags, cleaned and clipped; untrusted.
    public let tags: [String]
    /// The catalog base URL the item came from.
    public let endpoint: String

    /// Creates an item (normally `CatalogParser` does).
    public init(resource: String, host: HostName, kind: Kind, toolName: String?, offer: PaymentRequired,
                description: String?, serviceName: String?, tags: [String], endpoint: String) {
        self.resource = resource
        self.host = host
        self.kind = kind
        self.toolName = toolName
        self.offer = offer
        self.description = description
        self.serviceName = serviceName
        self.tags = tags
        self.endpoint = endpoint
    }

    /// What makes two catalog entries the same thing: the kind, the URL and, for MCP, the tool
    /// (the Bazaar keys MCP tools by server URL and tool name).
    public var key: Key { Key(kind: kind, resource: resource, toolName: toolName) }

    /// The identity of a catalog entry, for merging several catalogs.
    public struct Key: Hashable, Sendable {
        /// HTTP or MCP.
        public let kind: Kind
        /// The resource URL.
        public let resource: String
        /// The MCP tool name, nil for HTTP.
        public let toolName: String?
    }

    /// The text the query's words are looked for in (lower-cased): URL, description, service
    /// name, tags and tool name.
    var searchText: String {
        ([resource, description ?? "", serviceName ?? "", toolName ?? ""] + tags).joined(separator: " ").lowercased()
    }
}
