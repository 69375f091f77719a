// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import Logging
import MCP
import PurseCore

/// The Purse MCP server, for every revision on one stdio transport (our `LineTransport`):
/// - the handshake revisions (2024-11-05, 2025-03-26, 2025-06-18, 2025-11-25) through the SDK's
///   `Server`: Purse's tools, the two resources, `logging/setLevel`, approval by
///   `elicitation/create`; the configured upstreams' tools (`NAME__TOOL`) beside Purse's own,
///   with `notifications/tools/list_changed` when their set changes;
/// - the stateless revision 2026-07-28 through our `StatelessServer`, which the SDK does not
///   know: `server/discover`, the per-request envelope, approval by an input-required round trip.
/// The client's first request decides which (`ProtocolEra`); both run every tool call through the
/// same `ToolInvoker`, and a client that cannot ask its human gets the terminal approval style.
public struct PurseServer: Sendable {
    private let backend: any PurseToolBackend
    private let name: String
    private let version: String
    private let approvalTimeout: Duration
    private let instructions: String?
    private let logger: Logger

    /// Creates a server.
    /// - Parameters:
    ///   - backend: The wallet (or, when it could not be opened, `UnconfiguredToolBackend`).
    ///   - name: The server name reported at `initialize` and in the `serverInfo` stamp.
    ///   - version: The server version reported likewise.
    ///   - approvalTimeout: How long a payment approval prompt (or input-required round trip)
    ///     waits for the human.
    ///   - instructions: Guidance for the client's model, sent at `initialize` and `server/discover`.
    ///   - logger: Where our logs go; it must write to stderr (stdout carries JSON-RPC only).
    public init(
        backend: any PurseToolBackend, name: String = "purse", version: String,
        approvalTimeout: Duration = .seconds(120), instructions: String? = nil, logger: Logger
    ) {
        self.backend = backend
        self.name = name
        self.version = version
        self.approvalTimeout = approvalTimeout
        self.instructions = instructions
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
        let invoker = ToolInvoker(backend: backend, calls: calls, logger: logger)
        let server = Server(
            name: name, version: version, instructions: instructions,
            capabilities: .init(
                logging: .init(),
                resources: .init(subscribe: false, listChanged: false),
                tools: .init(listChanged: UpstreamToolRoute.servesUpstreams(backend))),
            configuration: .default)
        let asker = ElicitationApprovalAsker(
            server: server, session: session, transport: transport, timeout: approvalTimeout, logs: logs)
        let stateless = StatelessServer(
            name: name, version: version, transport: transport, invoker: invoker, backend: backend, logs: logs,
            approvalTimeout: approvalTimeout, instructions: instructions, logger: logger, handshakeAsker: asker)
        transport.route { stateless.divert($0) }

        await register(on: server, session: session, logs: logs, invoker: invoker, asker: asker)
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
        on server: Server, session: ClientSession, logs: LogRouter, invoker: ToolInvoker, asker: ElicitationApprovalAsker
    ) async {
        let backend = self.backend
        let logger = self.logger

        await server.withMethodHandler(ListTools.self) { _ in
            ListTools.Result(tools: UpstreamToolRoute.tools(backend) { logger.warning("\($0)") })
        }

        // tools/call never reaches the SDK: `StatelessServer.divert` answers it for every
        // revision (the same `ToolInvoker` call, approval by elicitation in the handshake ones).

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
    /// An upstream tool's result (`raw`) is passed through as it is.
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
