// PurseMCP: the MCP face of the Purse wallet.
import PurseCore
import Wallet

/// What the MCP layer needs from the wallet (`WalletToolBackend` in production, fakes in tests).
public protocol PurseToolBackend: Sendable {
    /// Runs one tool. `arguments` already passed schema validation (defaults filled in).
    /// Never throws: errors are results with `isError`.
    func callTool(_ name: String, arguments: JSONObject, context: ToolCallContext) async -> ToolResult
    /// Reads one of our resources (`purse://spend-log`, `purse://budget`) as JSON; nil if unknown.
    func readResource(_ uri: String) async -> JSONValue?
    /// Told once after `initialize` (or the first 2026-07-28 request naming its client) with the
    /// client's name/version (for the session record).
    func clientConnected(name: String, version: String) async
    /// The terminal approver (`purse approve`) for one call: with `approvalID` it uses that
    /// approval, without it files a new one. Approvals live in the wallet's ledger.
    func terminalApprover(approvalID: String?) -> any PaymentApprover
}
