import PurseCore

/// What is being bought: the request as the policy and the ledger see it.
public struct PaymentResource: Sendable, Equatable {
    /// The method (`GET`, …; `CALL` for an MCP tool call).
    public var method: String
    /// The URL (for an MCP tool, the server URL or `mcp://NAME/TOOL`).
    public var url: String
    /// The party the payment would go to, as the policy names it: the host libcurl connects
    /// to, or `mcp:NAME` for a configured MCP upstream.
    public var host: HostName

    /// Creates a resource.
    public init(method: String, url: String, host: HostName) {
        self.method = method
        self.url = url
        self.host = host
    }
}
