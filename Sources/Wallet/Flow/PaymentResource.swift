import PurseCore
import X402

/// What is being bought: the request as the policy and the ledger see it.
public struct PaymentResource: Sendable, Equatable {
    /// The method (`GET`, …; `CALL` for an MCP tool call).
    public var method: String
    /// The URL (for an MCP tool, the server URL or `mcp://NAME/TOOL`).
    public var url: String
    /// The party the payment would go to, as the policy names it: the host libcurl connects
    /// to, or `mcp:NAME` for a configured MCP upstream.
    public var host: HostName

    /// The web origin of the URL, when the channel speaks HTTP: the only origin a sign-in
    /// challenge may be for.
    public var origin: WebOrigin?
    /// The URL's path (no query), when the channel speaks HTTP.
    public var path: String?

    /// Creates a resource.
    public init(method: String, url: String, host: HostName, origin: WebOrigin? = nil, path: String? = nil) {
        self.method = method
        self.url = url
        self.host = host
        self.origin = origin
        self.path = path
    }

    /// `origin + path` (`https://api.example.com/weather`): the resource a payment bought, as
    /// the ledger records it and a later sign-in looks it up; nil without an origin.
    public var key: String? {
        guard let origin else { return nil }
        return origin.serialized + (path ?? "/")
    }
}
