import MCPUpstream
import PurseCore

/// The result of one upstream tool call through Purse (`NAME__TOOL`, `paid_tool_call`).
public struct ToolCallResult: Sendable {
    /// How the call ended.
    public let outcome: FlowOutcome
    /// The upstream's last answer, when it gave one.
    public let reply: RPCReply?
    /// The ledger row, when a payment was reserved.
    public let paymentID: Int64?
    /// The budget after the call, when the ledger could be read.
    public let budget: BudgetSnapshot?
    /// What was called (`mcp://NAME/TOOL`, or the server URL and tool), for messages.
    public let target: String
}
