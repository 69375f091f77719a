// PurseMCP: the MCP face of the Purse wallet.
import PurseCore

/// What the MCP layer needs from a backend that lists and calls configured upstreams' tools
/// (`NAME__TOOL`). A backend without upstreams simply does not conform.
public protocol UpstreamToolBackend: Sendable {
    /// Whether any upstream is configured: then the tool list can change while Purse runs
    /// (`tools.listChanged`, and no long cache hint on a stateless `tools/list`).
    var hasUpstreams: Bool { get }
    /// The upstream tools listed now, as `tools/list` entries.
    func upstreamTools() -> [JSONObject]
    /// Whether `name` has the `NAME__TOOL` form of a configured upstream (listed now or not):
    /// such a call goes to `callUpstreamTool`, which explains when the tool is not available.
    func isUpstreamTool(_ name: String) -> Bool
    /// Whether the upstream tool listed as `name` declares an input property `argument` (then an
    /// `approval_id` in its arguments is the tool's own, not Purse's).
    func upstreamToolDeclares(_ name: String, argument: String) -> Bool
    /// Calls an upstream tool, paying if it asks and the policy allows; the arguments are the
    /// client's, unchanged but for Purse's own `approval_id` (the upstream validates them against
    /// its own schema).
    func callUpstreamTool(_ name: String, arguments: JSONObject, context: ToolCallContext) async -> ToolResult
    /// Runs `handler` whenever the set of upstream tools changes.
    func onUpstreamToolsChanged(_ handler: @escaping @Sendable () -> Void)
}
