// PurseMCP: the MCP face of the Purse wallet.
import PurseCore
import Wallet

/// The backend of a `purse serve` whose wallet could not be opened (no key, a bad config, an
/// unusable ledger): the server still starts and lists its tools, and every tool and resource
/// answers with the error and its fix (`SetupAdvice`), so the agent can tell its human what to
/// do. It holds no key and no ledger: nothing can be paid, and no approval can be filed.
public final class UnconfiguredToolBackend: PurseToolBackend {
    /// What went wrong and how to fix it.
    public let advice: SetupAdvice

    /// A backend that explains `advice` to every call.
    public init(advice: SetupAdvice) {
        self.advice = advice
    }

    public func callTool(_ name: String, arguments: JSONObject, context: ToolCallContext) async -> ToolResult {
        context.log(.warning, advice.summary)
        return ToolResult(structured: advice.json(), summary: advice.summary, isError: true)
    }

    public func readResource(_ uri: String) async -> JSONValue? { advice.json() }

    public func clientConnected(name: String, version: String) async {}

    public func terminalApprover(approvalID: String?) -> any PaymentApprover { NoApprover() }
}
