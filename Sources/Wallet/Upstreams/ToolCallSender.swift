import MCPUpstream
import PurseCore

/// Sends one `tools/call` to an upstream: the seam between the MCP tool payment channel and
/// the connection that carries it.
///
/// A configured upstream's sender (`UpstreamLink`) resolves its current connection on every
/// send, so a paid resend after a restart goes to the restarted child with the same bytes; an
/// ad-hoc server's (`AdHocUpstream`) is one session for the call.
public protocol ToolCallSender: Sendable {
    /// Calls `tool` with `arguments` and, when paying, `meta` as `params._meta`.
    /// - Throws: `UpstreamError` when no answer came.
    func callTool(_ tool: String, arguments: JSONObject, meta: JSONObject?) async throws(UpstreamError) -> RPCReply
}
