// PurseMCP: the MCP face of the Purse wallet.
import Wallet

/// What a running tool call may use to talk back to the human and the client.
public struct ToolCallContext: Sendable {
    /// Answers "may I pay this plan?" for this call, in the style the client allows (elicitation,
    /// an input-required round trip, or the terminal), or with the call's `approval_id`.
    public let approver: any PaymentApprover
    /// Logs a message: always to stderr, and to the client as `notifications/message` when at or
    /// above the level the client asked for: with `logging/setLevel` on a handshake connection
    /// (default `warning`), with the request's `io.modelcontextprotocol/logLevel` in 2026-07-28
    /// (none without it).
    public let log: @Sendable (LogLevel, String) -> Void
    /// Reports progress (a monotonically increasing value and a message), when the client
    /// asked for progress with a `progressToken`; nil otherwise.
    public let progress: (@Sendable (Double, String) -> Void)?

    /// Creates a context.
    public init(
        approver: any PaymentApprover,
        log: @escaping @Sendable (LogLevel, String) -> Void,
        progress: (@Sendable (Double, String) -> Void)? = nil
    ) {
        self.approver = approver
        self.log = log
        self.progress = progress
    }
}
