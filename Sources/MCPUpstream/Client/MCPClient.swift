// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.
import PurseCore

/// MCP over one `MCPConnection`: the handshake, `tools/list` and `tools/call`, nothing else.
///
/// Purse offers its upstreams no capabilities (no sampling, roots or elicitation): an upstream
/// gets nothing from Purse but tool calls and their arguments. The handshake revision is
/// enough for upstreams: `initialize` offers 2025-11-25 and accepts whichever of the four
/// handshake revisions the upstream answers with; an upstream that refuses the offer is asked
/// again with each older revision in turn.
public final class MCPClient: Sendable {
    /// The handshake revisions Purse's client speaks, newest first.
    public static let supportedVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    /// The most `tools/list` pages read (a server that pages forever is cut there).
    public static let maxPages = 20
    /// The most tools kept from one upstream.
    public static let maxTools = 512

    /// The connection.
    public let connection: any MCPConnection
    /// What the server said at `initialize`.
    public let identity: ServerIdentity

    private init(connection: any MCPConnection, identity: ServerIdentity) {
        self.connection = connection
        self.identity = identity
    }

    /// Runs the handshake over `connection`.
    /// - Throws: `UpstreamError` (`protocol_version` when no revision is shared); the connection is
    ///   left for the caller to close.
    public static func handshake(over connection: any MCPConnection, clientVersion: String, timeout: Duration) async throws(UpstreamError) -> MCPClient {
        var tried: [String] = []
        var offer = supportedVersions[0]
        while true {
            tried.append(offer)
            let params: JSONValue = [
                "protocolVersion": .string(offer),
                "capabilities": [:],
                "clientInfo": ["name": "purse", "version": .string(clientVersion)],
            ]
            switch try await connection.request("initialize", params: params, timeout: timeout) {
            case let .result(r):
                guard case let .object(o) = r, case let .string(version)? = o["protocolVersion"] else {
                    throw UpstreamError(.protocolViolation, "the initialize result has no protocolVersion", requestMayHaveBeenSent: true)
                }
                guard supportedVersions.contains(version) else {
                    throw UpstreamError(.protocolVersion, "the upstream speaks MCP \(version); Purse's client speaks \(supportedVersions.joined(separator: ", "))",
                                        requestMayHaveBeenSent: true)
                }
                let info = o["serverInfo"]
                let identity = ServerIdentity(
                    protocolVersion: version, name: info?["name"]?.stringValue ?? "?", version: info?["version"]?.stringValue ?? "?",
                    toolsListChanged: o["capabilities"]?["tools"]?["listChanged"]?.boolValue == true)
                await connection.agreed(protocolVersion: version)
                await connection.notify("notifications/initialized", params: nil)
                return MCPClient(connection: connection, identity: identity)
            case let .error(code, message, data):
                let offered = data?["supported"]?.arrayValue?.compactMap(\.stringValue) ?? []
                let next = supportedVersions.first { !tried.contains($0) && (offered.isEmpty || offered.contains($0)) }
                guard let next else {
                    throw UpstreamError(.protocolVersion, "the upstream refused initialize (\(code): \(message)) for every revision Purse speaks",
                                        requestMayHaveBeenSent: true)
                }
                offer = next
            case let .tooLarge(bytes):
                throw UpstreamError(.resultTooLarge, "the initialize result is \(bytes) bytes", requestMayHaveBeenSent: true)
            }
        }
    }

    /// Every tool the upstream lists (following `nextCursor`, at most `maxPages` pages and
    /// `maxTools` tools; entries without a usable name are skipped).
    public func listTools(timeout: Duration) async throws(UpstreamError) -> [UpstreamTool] {
        var tools: [UpstreamTool] = []
        var cursor: String?
        for _ in 0..<Self.maxPages {
            let params: JSONValue? = cursor.map { ["cursor": .string($0)] }
            switch try await connection.request("tools/list", params: params, timeout: timeout) {
            case let .result(r):
                guard case let .array(items)? = r["tools"] else {
                    throw UpstreamError(.protocolViolation, "the tools/list result has no tools array", requestMayHaveBeenSent: true)
                }
                tools += items.compactMap(UpstreamTool.init)
                if tools.count >= Self.maxTools { return Array(tools.prefix(Self.maxTools)) }
                guard case let .string(next)? = r["nextCursor"], !next.isEmpty, next != cursor else { return tools }
                cursor = next
            case let .error(code, message, _):
                throw UpstreamError(.protocolViolation, "tools/list failed (\(code): \(message))", requestMayHaveBeenSent: true)
            case let .tooLarge(bytes):
                throw UpstreamError(.resultTooLarge, "the tools/list result is \(bytes) bytes", requestMayHaveBeenSent: true)
            }
        }
        return tools
    }

    /// Calls a tool; the answer is returned as received (`tools/call` result, JSON-RPC error, or
    /// too large). `meta` goes in `params._meta` (where the x402 payment rides).
    public func callTool(_ name: String, arguments: JSONObject, meta: JSONObject?, timeout: Duration) async throws(UpstreamError) -> RPCReply {
        var params: JSONObject = ["name": .string(name), "arguments": .object(arguments)]
        if let meta { params["_meta"] = .object(meta) }
        return try await connection.request("tools/call", params: .object(params), timeout: timeout)
    }
}
