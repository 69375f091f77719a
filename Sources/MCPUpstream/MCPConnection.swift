// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.
import PurseCore

/// One JSON-RPC connection to an upstream: a child's stdio (`StdioConnection`) or Streamable
/// HTTP (`StreamableHTTPConnection`). `MCPClient` speaks MCP over it; tests use in-process fakes.
public protocol MCPConnection: Sendable {
    /// Sends a request and waits for its answer, at most `timeout`.
    /// - Throws: `UpstreamError` when no answer came (its `requestMayHaveBeenSent` says whether
    ///   the upstream may have seen the request).
    func request(_ method: String, params: JSONValue?, timeout: Duration) async throws(UpstreamError) -> RPCReply
    /// Sends a notification (best effort: nothing answers it).
    func notify(_ method: String, params: JSONValue?) async
    /// Sets the MCP revision agreed at `initialize` (Streamable HTTP sends it as a header).
    func agreed(protocolVersion: String) async
    /// Whether the connection can still carry requests (a child that exited cannot).
    var isAlive: Bool { get }
    /// Closes the connection: ends the child (TERM, then KILL) or the HTTP session.
    func close() async
}
