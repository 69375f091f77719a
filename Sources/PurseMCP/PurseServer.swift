// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import Logging
import MCP
import PurseCore

/// The Purse MCP server: the SDK's `Server` over our `LineTransport`, with the six tools, the
/// two resources, `logging/setLevel`, elicitation-based approval and a clean shutdown.
public struct PurseServer: Sendable {
    private let backend: any PurseToolBackend
    private let name: String
    private let version: String
    private let approvalTimeout: Duration
    private let logger: Logger

    /// Creates a server.
    /// - Parameters:
    ///   - backend: The wallet.
    ///   - name: The server name reported at `initialize`.
    ///   - version: The server version reported at `initialize`.
    ///   - approvalTimeout: How long a payment approval prompt waits for the human.
    ///   - logger: Where our logs go; it must write to stderr (stdout carries JSON-RPC only).
    public init(
        backend: any PurseToolBackend, name: String = "purse", version: String,
        approvalTimeout: Duration = .seconds(120), logger: Logger
    ) {
        self.backend = backend
        self.name = name
        self.version = version
        self.approvalTimeout = approvalTimeout
        self.logger = logger
    }

    /// Serves MCP over `input`/`output` until the input reaches EOF.
    ///
    /// Returns after stdin EOF, once every request read has been answered (or cancelled) and
    /// written, and every backend call (every payment) has returned.
    /// - Throws: When the transport cannot start.
    public func run(input: Int32 = 0, output: Int32 = 1) async throws {
        let transport = LineTransport(input: input, output: output, logger: logger)
        let session = ClientSession()
        let logs = LogRouter(session: session, transport: transport, logger: logger)
        let calls = CallTracker()
        let server = Server(
            name: name, version: version,
            capabilities: .init(
                logging: .init(),
                resources: .init(subscribe: false, listChanged: false),
                tools: .init(listChanged: backend is any UpstreamToolBackend)),
            configuration: .default)
        let asker = ElicitationApprovalAsker(
            server: server, session: session, transport: transport, timeout: approvalTimeout, logs: logs)

        await register(on: server, session: session, logs: logs, calls: calls, asker: asker)
        (backend as? any UpstreamToolBackend)?.onUpstreamToolsChanged { UpstreamToolRoute.postToolsChanged(session: session, transport: transport) }

        let backend = self.backend
        let logger = self.logger
        try await server.start(transport: transport) { info, capabilities in
            guard session.connect(info: info, capabilities: capabilities) else { return }
            logger.info("client connected", metadata: [
                "client": "\(info.name) \(info.version)",
                "elicitation": "\(session.supportsFormElicitation)",
            ])
            await backend.clientConnected(name: info.name, version: info.version)
        }
        await server.waitUntilCompleted()
        logger.debug("input closed and every request answered; waiting for backend calls")
        // Every tool call (and so every payment) runs in a task the tracker knows: once they
        // have all returned, every payment has its final ledger row.
        await calls.waitForAll()
        await server.stop()
        logger.debug("server stopped")
    }

    private func register(
        on server: Server, session: ClientSession, logs: LogRouter, calls: CallTracker,
        asker: ElicitationApprovalAsker
    ) async {
        let backend = self.backend
        let logger = self.logger

        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: UpstreamToolRoute.tools(backend) { logger.warning("\($0)") })
        }

        await server.withMethodHandler(CallTool.self) { params in
            if let upstream = UpstreamToolRoute.upstream(backend, for: params.name) {
                let tool = params.name
                let arguments = JSONValue(.object(params.arguments ?? [:])).objectValue ?? JSONObject()
                let context = ToolCallContext(
                    approval: asker, log: { level, message in logs.log(level, message, source: "purse.\(tool)") },
                    progress: params._meta?.progressToken.map(logs.progressReporter))
                let call = calls.start { await upstream.callUpstreamTool(tool, arguments: arguments, context: context) }
                let result = await call.value
                if Task.isCancelled { throw CancellationError() }
                return Self.callResult(result)
            }
            guard ToolCatalog.names.contains(params.name) else {
                throw MCPError.invalidParams(PurseMCPError.unknownTool(params.name).message)
            }
            let arguments = JSONValue(.object(params.arguments ?? [:]))
            let schema = ToolCatalog.inputSchema(params.name)
            if let failure = SchemaValidator.validate(arguments, against: schema) {
                let error = PurseMCPError.badArguments(tool: params.name, argument: failure.path, reason: failure.reason)
                logger.info("rejected tool call", metadata: ["tool": "\(params.name)", "error": "\(error)"])
                return Self.callResult(ToolResult.failure(error))
            }
            let filled = SchemaValidator.fillingDefaults(arguments.objectValue ?? JSONObject(), from: schema)
            let tool = params.name
            let context = ToolCallContext(
                approval: asker,
                log: { level, message in logs.log(level, message, source: "purse.\(tool)") },
                progress: params._meta?.progressToken.map(logs.progressReporter))

            // An unstructured task: cancelling this request must not cancel a payment.
            let call = calls.start { await backend.callTool(tool, arguments: filled, context: context) }
            let result = await call.value
            if Task.isCancelled {
                logger.info("tool call finished after the client cancelled it; no reply sent", metadata: ["tool": "\(tool)"])
                throw CancellationError()
            }
            if !result.isError, result.raw == nil,
                let failure = SchemaValidator.validate(result.structured, against: ToolCatalog.outputSchema(tool))
            {
                logger.warning("backend result does not match the output schema", metadata: [
                    "tool": "\(tool)", "path": "\(failure.path)", "reason": "\(failure.reason)",
                ])
            }
            return Self.callResult(result)
        }

        await server.withMethodHandler(ListResources.self) { _ in
            ListResources.Result(resources: ResourceCatalog.resources)
        }

        await server.withMethodHandler(ReadResource.self) { params in
            guard ResourceCatalog.contains(params.uri), let json = await backend.readResource(params.uri) else {
                throw MCPError.serverError(code: -32002, message: "Resource not found: \(params.uri)")
            }
            return ReadResource.Result(contents: [.text(json.encoded(), uri: params.uri, mimeType: "application/json")])
        }

        await server.withMethodHandler(SetLoggingLevel.self) { params in
            session.logLevel = LogLevel(params.level)
            logger.debug("client set log level", metadata: ["level": "\(params.level.rawValue)"])
            return Empty()
        }
    }

    /// Maps a backend result to the SDK's. A success carries `structuredContent` plus the
    /// summary (and, for clients without structured output, the JSON) as text. An error carries
    /// no `structuredContent` (clients validate it against the output schema), but the error
    /// JSON as a second text block.
    static func callResult(_ result: ToolResult) -> CallTool.Result {
        if let raw = result.raw { return UpstreamToolRoute.callResult(raw: raw) }
        let json = result.structured.encoded()
        if result.isError {
            return CallTool.Result(
                content: [.text(text: result.summary, annotations: nil, _meta: nil),
                          .text(text: json, annotations: nil, _meta: nil)],
                structuredContent: MCP.Value?.none, isError: true)
        }
        return CallTool.Result(
            content: [.text(text: result.summary, annotations: nil, _meta: nil),
                      .text(text: json, annotations: nil, _meta: nil)],
            structuredContent: Optional.some(result.structured.mcpValue), isError: false)
    }
}
