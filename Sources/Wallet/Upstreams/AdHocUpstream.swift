import HTTP
import MCPUpstream
import PurseCore

/// A Streamable HTTP MCP server that is not in the config, for one `paid_tool_call` or
/// `tool_quote` (a server found by discovery): one session over Purse's HTTP client, opened
/// on the first call and closed after.
///
/// The policy judges its payments by the host of its URL, exactly as `paid_fetch` judges a URL:
/// the host libcurl connects to (`HTTPURL`, libcurl's own parser).
public final class AdHocUpstream: ToolCallSender, @unchecked Sendable {
    /// The server URL as given.
    public let url: String
    /// The host the policy judges.
    public let host: HostName
    private let http: any HTTPClient
    private let limits: UpstreamLimits
    private let clientVersion: String
    private let client = Locked<MCPClient?>(nil)

    /// Parses `url` (http or https, through libcurl's parser).
    /// - Throws: `UpstreamError.badURL` when it cannot be used.
    public init(url: String, http: any HTTPClient, limits: UpstreamLimits, clientVersion: String) throws(UpstreamError) {
        let parsed: HTTPURL
        do { parsed = try HTTPURL.parse(url) } catch {
            throw UpstreamError(.badURL, "server_url \(url.prefix(200)): \(error.message)", requestMayHaveBeenSent: false)
        }
        self.url = url
        self.host = parsed.host
        self.http = http
        self.limits = limits
        self.clientVersion = clientVersion
    }

    public func callTool(_ tool: String, arguments: JSONObject, meta: JSONObject?) async throws(UpstreamError) -> RPCReply {
        let c = try await session()
        do {
            return try await c.callTool(tool, arguments: arguments, meta: meta, timeout: limits.callTimeout)
        } catch where error.kind == .sessionExpired {
            client.withLock { $0 = nil }
            return try await session().callTool(tool, arguments: arguments, meta: meta, timeout: limits.callTimeout)
        }
    }

    /// Ends the session (DELETE), if one was opened.
    public func close() async {
        let c = client.withLock { s -> MCPClient? in
            defer { s = nil }
            return s
        }
        await c?.connection.close()
    }

    private func session() async throws(UpstreamError) -> MCPClient {
        if let c = client.withLock({ $0 }) { return c }
        let connection = StreamableHTTPConnection(url: url, headers: [], http: http)
        let c: MCPClient
        do { c = try await MCPClient.handshake(over: connection, clientVersion: clientVersion, timeout: limits.callTimeout) } catch {
            // No tool call was sent: whatever the handshake did, nothing was bought.
            throw UpstreamError(error.kind, "could not open an MCP session at \(url): \(error.message)", requestMayHaveBeenSent: false)
        }
        client.withLock { $0 = c }
        return c
    }
}
