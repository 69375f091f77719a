// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import Logging
import PurseCore
import Wallet

/// The one tool-call path, shared by both revisions: the SDK's `tools/call` handler (handshake
/// revisions) and our stateless layer (2026-07-28) both call `call`, so validation, approval,
/// payment and cancellation behave the same whichever way the request came.
struct ToolInvoker: Sendable {
    let backend: any PurseToolBackend
    let calls: CallTracker
    let logger: Logger

    /// Runs one tool call.
    ///
    /// - an unknown tool throws `RPCError.invalidParams` (a protocol error in both revisions);
    /// - arguments that do not match the input schema give an error result (`mcp.bad_arguments`)
    ///   the model can read and correct; an upstream tool's (`NAME__TOOL`) go to the upstream
    ///   unchanged, since it validates them against its own schema;
    /// - a paying tool's `approval_id` is taken out of the arguments and, with `style`, becomes
    ///   the call's approver (`ApprovalStyle.approver`); the backend never sees it. Every upstream
    ///   tool may pay, so the same holds for it, unless the tool declares an `approval_id` input
    ///   of its own (then it is the tool's, passed on);
    /// - the backend runs in an unstructured, tracked task: cancelling the request never cancels
    ///   a payment, and shutdown waits for it;
    /// - a request cancelled meanwhile throws `CancellationError` (the client gets no reply).
    func call(
        _ name: String, arguments: JSONObject?, style: ApprovalStyle,
        log: @escaping @Sendable (LogLevel, String) -> Void, progress: (@Sendable (Double, String) -> Void)?
    ) async throws -> ToolResult {
        let upstream = UpstreamToolRoute.upstream(backend, for: name)
        guard upstream != nil || ToolCatalog.names.contains(name) else {
            throw RPCError.invalidParams(PurseMCPError.unknownTool(name).message)
        }
        var filled: JSONObject
        var approvalID: String?
        if let upstream {
            filled = arguments ?? JSONObject()
            if !upstream.upstreamToolDeclares(name, argument: ToolCatalog.approvalIDArgument) {
                approvalID = filled[ToolCatalog.approvalIDArgument]?.stringValue
                filled[ToolCatalog.approvalIDArgument] = nil
            }
        } else {
            let given = JSONValue.object(arguments ?? JSONObject())
            let schema = ToolCatalog.inputSchema(name)
            if let failure = SchemaValidator.validate(given, against: schema) {
                let error = PurseMCPError.badArguments(tool: name, argument: failure.path, reason: failure.reason)
                logger.info("rejected tool call", metadata: ["tool": "\(name)", "error": "\(error)"])
                return ToolResult.failure(error)
            }
            filled = SchemaValidator.fillingDefaults(given.objectValue ?? JSONObject(), from: schema)
            if ToolCatalog.payingTools.contains(name) {
                approvalID = filled[ToolCatalog.approvalIDArgument]?.stringValue
                filled[ToolCatalog.approvalIDArgument] = nil
            }
        }
        let backend = self.backend
        let approver = style.approver(approvalID: approvalID) { backend.terminalApprover(approvalID: $0) }
        let context = ToolCallContext(approver: approver, log: log, progress: progress)
        let arguments = filled
        let call = calls.start {
            if let upstream { await upstream.callUpstreamTool(name, arguments: arguments, context: context) }
            else { await backend.callTool(name, arguments: arguments, context: context) }
        }
        let result = await call.value
        if Task.isCancelled {
            logger.info("tool call finished after the client cancelled it; no reply sent", metadata: ["tool": "\(name)"])
            throw CancellationError()
        }
        #if DEBUG
            // A check of our own code, not of input: the tests run it (debug builds) on every
            // tool's results; a release build does not spend ~0.03 ms per call re-proving it.
            if !result.isError, result.raw == nil, let failure = SchemaValidator.validate(result.structured, against: ToolCatalog.outputSchema(name)) {
                logger.warning("backend result does not match the output schema", metadata: [
                    "tool": "\(name)", "path": "\(failure.path)", "reason": "\(failure.reason)",
                ])
            }
        #endif
        return result
    }
}
