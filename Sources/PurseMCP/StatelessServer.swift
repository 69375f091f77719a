// PurseMCP: the MCP face of the Purse wallet.
import BlockingWork
import Foundation
import Logging
import MCP
import PurseCore
import Wallet

/// Serves MCP 2026-07-28 on the same transport as the SDK's `Server`.
///
/// swift-sdk 0.12.1 knows only the handshake revisions, so requests of the stateless revision
/// never reach it: the transport offers every incoming frame to `divert` first, which routes it
/// with `ProtocolEra` and answers the stateless ones here. What this layer adds is the protocol
/// only — the per-request envelope, `server/discover`, `resultType`, cache hints, the
/// `serverInfo` stamp and the input-required round trip; the tools themselves run through the
/// same `ToolInvoker` as the handshake revisions, and results are built with the SDK's types
/// (`CallTool.Result`, `Tool`, `Resource`) where they fit. Handshake-era `tools/call` requests
/// are answered here too (see `divert`), so a tool call is decoded once, by Purse, whatever the
/// revision; the SDK keeps the handshake's other messages.
///
/// Wire shapes follow the official Python SDK 2.3.0 (`mcp_types/_v2026_07_28`, and the server in
/// `mcp/server/runner.py`): results carry `resultType` (`complete` or `input_required`) and
/// `_meta["io.modelcontextprotocol/serverInfo"]`; the cacheable results (`server/discover`,
/// `tools/list`, `resources/list`, `resources/read`) carry `ttlMs` and `cacheScope`.
final class StatelessServer: @unchecked Sendable {
    /// The key of our one input request (the human's answer comes back under it).
    static let inputKey = "approve_payment"
    /// How long a client may cache what does not change while this process runs (the catalog).
    static let catalogTTLMilliseconds = 3_600_000

    private let name: String
    private let version: String
    private let transport: LineTransport
    private let invoker: ToolInvoker
    private let backend: any PurseToolBackend
    private let logs: LogRouter
    private let states: RequestStateCodec
    private let approvalTimeout: Duration
    private let instructions: String?
    private let logger: Logger
    private let clock: @Sendable () -> Date
    /// Set by `PurseServer`: handshake-era `tools/call` requests are answered here too (see `divert`).
    private let handshakeAsker: ElicitationApprovalAsker?

    private let lock = NSLock()
    private var era = ProtocolEra()
    private var running: [String: Task<Void, Never>] = [:]
    private var clientRecorded = false

    init(name: String, version: String, transport: LineTransport, invoker: ToolInvoker, backend: any PurseToolBackend,
         logs: LogRouter, states: RequestStateCodec = RequestStateCodec(), approvalTimeout: Duration, instructions: String?,
         logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }, handshakeAsker: ElicitationApprovalAsker? = nil) {
        self.name = name
        self.version = version
        self.transport = transport
        self.invoker = invoker
        self.backend = backend
        self.logs = logs
        self.states = states
        self.approvalTimeout = approvalTimeout
        self.instructions = instructions
        self.logger = logger
        self.clock = clock
        self.handshakeAsker = handshakeAsker
    }

    /// The era decided so far (for tests and logs).
    var currentEra: ProtocolEra.Era { lock.withLock { era.era } }

    // MARK: - Routing (called on the transport's reader thread: never blocks)

    /// Routes one incoming frame; returns true when this layer took it (answered it, or will),
    /// false when it goes to the SDK.
    func divert(_ frame: JSONValue) -> Bool {
        let message = Self.summary(frame)
        let route = lock.withLock { era.route(message) }
        switch route {
        case .sdk:
            // A handshake-era tool call runs here as well, not through the SDK's `Server`: the
            // SDK decodes every string of a request into its `Value` (compiling a regex per
            // string to spot data URLs), which was most of the server's CPU per call. The call
            // itself is the same `ToolInvoker` call with elicitation approval that the SDK's
            // handler made; every other handshake message still goes to the SDK.
            if let asker = handshakeAsker, case .request(method: "tools/call", _, _) = message, let id = frame["id"] {
                let params = frame["params"]
                start(id: id) { [self] in try await callHandshakeTool(params, asker: asker) }
                return true
            }
            return cancel(frame)
        case let .reject(error):
            if let id = frame["id"] { reply(id: id, error: error) }
            return true
        case .stateless:
            if case .request = message, let id = frame["id"] {
                let (method, params) = (frame["method"]?.stringValue ?? "", frame["params"])
                start(id: id) { [self] in try await respond(method: method, params: params) }
            } else {
                _ = cancel(frame)
            }
            return true
        }
    }

    /// Takes a `notifications/cancelled` for a request running here: its task is cancelled and no
    /// reply is sent (the backend call, a payment, still completes). False for anything else.
    private func cancel(_ frame: JSONValue) -> Bool {
        guard frame["method"] == "notifications/cancelled", let id = frame["params"]?["requestId"], let key = FrameClassifier.key(id)
        else { return false }
        guard let task = lock.withLock({ running.removeValue(forKey: key) }) else { return false }
        task.cancel()
        return true
    }

    /// What routing needs to know about a frame.
    static func summary(_ frame: JSONValue) -> ProtocolEra.Message {
        if frame.arrayValue != nil { return .batch }
        guard let method = frame["method"]?.stringValue else { return .response }
        guard frame["id"] != nil else { return .notification(method: method) }
        let params = frame["params"]
        return .request(method: method, enveloped: RequestEnvelope.isEnveloped(params),
                        initializeVersion: method == "initialize" ? params?["protocolVersion"]?.stringValue : nil)
    }

    private func start(id: JSONValue, _ work: @escaping @Sendable () async throws -> JSONValue) {
        let key = FrameClassifier.key(id) ?? UUID().uuidString
        // Registered under the lock the task's own removal takes, so the removal comes second.
        lock.lock()
        defer { lock.unlock() }
        // On threads that may block: the payment's ledger calls and HTTP transfers run inline.
        running[key] = Task(executorPreference: BlockingWorkers.shared) { [self] in
            do {
                let result = try await work()
                reply(id: id, result: result)
            } catch is CancellationError {
                // Cancelled by the client: no reply (the transport already counted the cancel).
            } catch let error as RPCError {
                reply(id: id, error: error)
            } catch {
                logger.error("request failed", metadata: ["error": "\(error)"])
                reply(id: id, error: .internalError("Internal error"))
            }
            _ = lock.withLock { running.removeValue(forKey: key) }
        }
    }

    private func reply(id: JSONValue, result: JSONValue) {
        send(["id": id, "jsonrpc": "2.0", "result": result])
    }

    private func reply(id: JSONValue, error: RPCError) {
        send(["error": error.json, "id": id, "jsonrpc": "2.0"])
    }

    /// Queues the reply on the transport's writer, which counts it against its request once
    /// written (the EOF drain). Queued from this task, without a task of its own and a hop onto
    /// the transport actor: replies and the log lines posted before them keep their order.
    private func send(_ message: JSONValue) {
        transport.enqueueReply(message.encodedBytes())
    }

    // MARK: - Requests

    /// The result of one stateless request, or the error to answer it with.
    func respond(method: String, params: JSONValue?) async throws -> JSONValue {
        let envelope: RequestEnvelope
        switch RequestEnvelope.parse(params) {
        case let .success(e): envelope = e
        case let .failure(error): throw error
        }
        await recordClient(envelope)
        switch method {
        case "server/discover": return stamp(discover(), cache: (Self.catalogTTLMilliseconds, "public"))
        case "tools/list":
            // With upstreams the list is this wallet's and changes as they come and go: not cached.
            let cache = UpstreamToolRoute.servesUpstreams(backend) ? (0, "private") : (Self.catalogTTLMilliseconds, "public")
            let tools = UpstreamToolRoute.tools(backend) { [logger] in logger.warning("\($0)") }
            return stamp(try Self.encode(ListTools.Result(tools: tools)), cache: cache)
        case "tools/call": return stamp(try await callTool(params, envelope: envelope))
        case "resources/list":
            return stamp(try Self.encode(ListResources.Result(resources: ResourceCatalog.resources)),
                         cache: (Self.catalogTTLMilliseconds, "public"))
        case "resources/read": return stamp(try await readResource(params), cache: (0, "private"))
        default: throw RPCError.methodNotFound(method)
        }
    }

    private func discover() -> JSONValue {
        let capabilities: JSONObject = [
            "tools": ["listChanged": false],
            "resources": ["subscribe": false, "listChanged": false],
            "logging": [:],
        ]
        var o: JSONObject = [
            "supportedVersions": .array(RequestEnvelope.supportedVersions.map(JSONValue.string)),
            "capabilities": .object(capabilities),
        ]
        if let instructions { o["instructions"] = .string(instructions) }
        return .object(o)
    }

    /// A handshake-era `tools/call`: approval by elicitation, logs at the session's level.
    private func callHandshakeTool(_ params: JSONValue?, asker: ElicitationApprovalAsker) async throws -> JSONValue {
        let (tool, arguments) = try Self.toolAndArguments(params)
        let logs = self.logs
        let result = try await invoker.call(
            tool, arguments: arguments, style: .elicitation(asker),
            log: { level, message in logs.log(level, message, source: "purse.\(tool)") },
            progress: params?["_meta"]?["progressToken"].flatMap(Self.progressToken).map(logs.progressReporter))
        return try CallResultJSON.make(result)
    }

    /// `params.name` and `params.arguments` of a `tools/call`.
    private static func toolAndArguments(_ params: JSONValue?) throws -> (String, JSONObject?) {
        guard let tool = params?["name"]?.stringValue else { throw RPCError.invalidParams("params.name must be a string") }
        guard let a = params?["arguments"], !a.isNull else { return (tool, nil) }
        guard let o = a.objectValue else { throw RPCError.invalidParams("params.arguments must be an object") }
        return (tool, o)
    }

    private func callTool(_ params: JSONValue?, envelope: RequestEnvelope) async throws -> JSONValue {
        let (tool, arguments) = try Self.toolAndArguments(params)
        let digest = RequestStateCodec.argumentsDigest(arguments ?? JSONObject())
        let style: ApprovalStyle
        if envelope.supportsFormElicitation {
            style = .inputRequired(InputRequiredApprover(mode: try answer(params, tool: tool, digest: digest, level: envelope.logLevel)))
        } else {
            style = .terminal
        }
        let logs = self.logs
        let level = envelope.logLevel
        let result = try await invoker.call(
            tool, arguments: arguments, style: style,
            log: { lvl, message in logs.log(lvl, message, source: "purse.\(tool)", gate: .request(level)) },
            progress: envelope.progressToken.flatMap(Self.progressToken).map(logs.progressReporter))
        if case let .inputRequired(approver) = style, let question = approver.question {
            let now = clock()
            let issued = Int64((now.timeIntervalSince1970 * 1000).rounded())
            let claims = RequestStateCodec.Claims(
                id: RequestStateCodec.newID(), issuedAt: issued, expiresAt: issued + approvalTimeout.milliseconds, tool: tool,
                arguments: digest, terms: question.terms)
            logs.log(.notice, "Payment approval asked through an input-required result: \(question.request.amount) \(question.request.symbol) to \(question.request.host)",
                     gate: .request(level))
            return inputRequired(question.request, state: states.seal(claims))
        }
        return try CallResultJSON.make(result)
    }

    /// The approval mode of a call: `.ask` without a `requestState`; with one, the state is
    /// verified and opened (once) and the human's answer read from `inputResponses`. A state
    /// with no answer asks again.
    private func answer(_ params: JSONValue?, tool: String, digest: String, level: LogLevel?) throws -> InputRequiredApprover.Mode {
        guard let state = params?["requestState"], !state.isNull else { return .ask }
        guard let token = state.stringValue else { throw RequestStateCodec.Failure.malformed.rpcError }
        switch states.open(token, tool: tool, arguments: digest, now: clock()) {
        case let .failure(failure):
            logger.warning("refused a requestState", metadata: ["tool": "\(tool)", "reason": "\(failure)"])
            logs.log(.warning, "A payment approval answer was refused (\(failure.code)); nothing was paid", gate: .request(level))
            throw failure.rpcError
        case let .success(claims):
            guard let response = params?["inputResponses"]?[Self.inputKey] else { return .ask }
            let accepted = response["action"] == "accept" && response["content"]?["approve"] == .bool(true)
            logs.log(.info, "Payment \(accepted ? "approved" : "declined") by the user through an input-required round trip", gate: .request(level))
            return .answered(approved: accepted, terms: claims.terms)
        }
    }

    /// `{resultType: input_required, inputRequests: {approve_payment: elicitation/create}, requestState}`.
    private func inputRequired(_ request: ApprovalRequest, state: String) -> JSONValue {
        let schema = (try? Self.encode(ElicitationApprovalAsker.schema)) ?? [:]
        return [
            "resultType": "input_required",
            "inputRequests": .object([
                Self.inputKey: [
                    "method": "elicitation/create",
                    "params": ["mode": "form", "message": .string(request.message), "requestedSchema": schema],
                ],
            ]),
            "requestState": .string(state),
        ]
    }

    private func readResource(_ params: JSONValue?) async throws -> JSONValue {
        guard let uri = params?["uri"]?.stringValue else { throw RPCError.invalidParams("params.uri must be a string") }
        guard ResourceCatalog.contains(uri), let json = await backend.readResource(uri) else {
            throw RPCError.invalidParams("Resource not found: \(uri)", data: ["uri": .string(uri)])
        }
        return ["contents": [["uri": .string(uri), "mimeType": "application/json", "text": .string(json.encoded())]]]
    }

    private func recordClient(_ envelope: RequestEnvelope) async {
        guard let client = envelope.clientName else { return }
        let first: Bool = lock.withLock {
            defer { clientRecorded = true }
            return !clientRecorded
        }
        guard first else { return }
        logger.info("client connected (\(RequestEnvelope.revision), stateless)", metadata: [
            "client": "\(client)", "elicitation": "\(envelope.supportsFormElicitation)",
        ])
        let parts = client.split(separator: " ", maxSplits: 1).map(String.init)
        await backend.clientConnected(name: parts[0], version: parts.count > 1 ? parts[1] : "")
    }

    // MARK: - Shapes

    /// Adds what every 2026-07-28 result carries: `resultType` (`complete` unless set), the
    /// `serverInfo` stamp, and, for cacheable results, `ttlMs` and `cacheScope`.
    private func stamp(_ result: JSONValue, cache: (ttl: Int, scope: String)? = nil) -> JSONValue {
        var o = result.objectValue ?? JSONObject()
        if o["resultType"] == nil { o["resultType"] = "complete" }
        if let cache, o["resultType"] == "complete" {
            o["ttlMs"] = .integer(cache.ttl)
            o["cacheScope"] = .string(cache.scope)
        }
        var meta = o["_meta"]?.objectValue ?? JSONObject()
        meta[RequestEnvelope.serverInfoKey] = ["name": .string(name), "version": .string(version)]
        o["_meta"] = .object(meta)
        return .object(o)
    }

    /// An SDK value as JSON (keys sorted, as the SDK writes its own messages).
    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try JSONValue.parse(Array(try encoder.encode(value)))
    }

    private static func progressToken(_ value: JSONValue) -> ProgressToken? {
        if let s = value.stringValue { return .string(s) }
        if let i = value.int64Value, let int = Int(exactly: i) { return .integer(int) }
        return nil
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
