// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.
import HTTP
import PurseCore

/// MCP's Streamable HTTP transport, client side, over Purse's own `HTTPClient` (libcurl: the
/// same `http.*` limits, proxy choice and CA bundle as every other request Purse makes).
///
/// Each request is one POST of the JSON-RPC message. The answer is either JSON or a
/// `text/event-stream` whose events carry JSON-RPC messages; the one with our id is the answer
/// (server notifications and requests in the stream are ignored: Purse's client offers no
/// capabilities). The `Mcp-Session-Id` the server gives at `initialize` is sent on every later
/// request, with `MCP-Protocol-Version`; a 404 on a session means it expired
/// (`upstream.session_expired`, nothing was processed). A body larger than `http.maxBodyBytes` is
/// cut by the client and reported as `.tooLarge`. Closing sends `DELETE` for the session.
public final class StreamableHTTPConnection: MCPConnection, @unchecked Sendable {
    /// The endpoint URL.
    public let url: String
    private let headers: [(String, String)]
    private let http: any HTTPClient
    private let state = Locked<(session: String?, version: String?, lastID: Int, closed: Bool)>((nil, nil, 0, false))

    /// Creates a connection; nothing is sent until the first request.
    public init(url: String, headers: [(String, String)], http: any HTTPClient) {
        self.url = url
        self.headers = headers
        self.http = http
    }

    public var isAlive: Bool { !state.withLock { $0.closed } }

    /// The session id the server gave, if any.
    public var sessionID: String? { state.withLock { $0.session } }

    public func agreed(protocolVersion: String) async {
        state.withLock { $0.version = protocolVersion }
    }

    public func request(_ method: String, params: JSONValue?, timeout: Duration) async throws(UpstreamError) -> RPCReply {
        let (id, closed) = state.withLock { s -> (Int, Bool) in
            s.lastID += 1
            return (s.lastID, s.closed)
        }
        guard !closed else { throw UpstreamError(.notConnected, "the connection to \(url) is closed", requestMayHaveBeenSent: false) }
        var message: JSONObject = ["jsonrpc": "2.0", "id": .integer(id), "method": .string(method)]
        if let params { message["params"] = params }
        let (response, hadSession) = try await post(.object(message), timeout: timeout)
        if response.status == 404, hadSession {
            state.withLock { $0.session = nil }
            throw UpstreamError(.sessionExpired, "the MCP session at \(url) expired (HTTP 404)", requestMayHaveBeenSent: false)
        }
        guard (200..<300).contains(response.status) else {
            let text = String(decoding: response.body.prefix(300), as: UTF8.self)
            throw UpstreamError(.httpStatus, "\(url) answered \(method) with HTTP \(response.status)\(text.isEmpty ? "" : ": \(text)")",
                                requestMayHaveBeenSent: true)
        }
        if method == "initialize", let session = response.headers["Mcp-Session-Id"], !session.isEmpty, session.utf8.count <= 256,
           session.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value <= 0x7E })
        {
            state.withLock { $0.session = session }
        }
        if response.truncated { return .tooLarge(bytes: response.body.count) }
        let isStream = response.headers["Content-Type"]?.lowercased().hasPrefix("text/event-stream") == true
        let messages: [RPCFrame]
        if isStream {
            messages = SSEParser.events(response.body).flatMap { RPCFrame.parse(Array($0.data.utf8), maxBytes: response.body.count) }
        } else {
            messages = RPCFrame.parse(response.body, maxBytes: response.body.count)
        }
        for case let .response(rid, reply) in messages where rid == id { return reply }
        throw UpstreamError(.protocolViolation, "\(url) sent no answer to \(method) (HTTP \(response.status), \(isStream ? "event stream" : "JSON body"))",
                            requestMayHaveBeenSent: true)
    }

    public func notify(_ method: String, params: JSONValue?) async {
        var message: JSONObject = ["jsonrpc": "2.0", "method": .string(method)]
        if let params { message["params"] = params }
        _ = try? await post(.object(message), timeout: .seconds(10))
    }

    /// Ends the session with `DELETE` (best effort); later requests fail with `upstream.not_connected`.
    public func close() async {
        let session = state.withLock { s -> String? in
            s.closed = true
            return s.session
        }
        guard let session else { return }
        var h = HTTPHeaders()
        for (k, v) in headers { h.add(k, v) }
        h.set("Mcp-Session-Id", session)
        _ = try? await http.send(HTTPRequest(method: "DELETE", url: url, headers: h))
    }

    private func post(_ message: JSONValue, timeout: Duration) async throws(UpstreamError) -> (HTTPResponse, Bool) {
        let (session, version) = state.withLock { ($0.session, $0.version) }
        var h = HTTPHeaders()
        for (k, v) in headers { h.add(k, v) }
        h.set("Content-Type", "application/json")
        h.set("Accept", "application/json, text/event-stream")
        if let session { h.set("Mcp-Session-Id", session) }
        if let version { h.set("MCP-Protocol-Version", version) }
        let request = HTTPRequest(method: "POST", url: url, headers: h, body: message.encodedBytes())
        let http = self.http
        let url = self.url
        let outcome: Result<HTTPResponse, UpstreamError> = await withTaskGroup(of: Result<HTTPResponse, UpstreamError>?.self) { group in
            group.addTask { await Self.send(request, over: http, url: url) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            if let first { return first }
            // The timer fired first: the send task is cancelled and ends on its own.
            return .failure(UpstreamError(.timeout, "\(url) did not answer within \(StdioConnection.seconds(timeout))", requestMayHaveBeenSent: true))
        }
        return (try outcome.get(), session != nil)
    }

    /// Sends one POST. The HTTP client's own timeout (`http.timeoutMs`, libcurl's clock) is the
    /// same event as ours when both are set from that limit, whichever fires first: both are
    /// `upstream.timeout`.
    private static func send(_ request: HTTPRequest, over http: any HTTPClient, url: String) async -> Result<HTTPResponse, UpstreamError> {
        do throws(HTTPError) { return .success(try await http.send(request)) } catch {
            let kind: UpstreamError.Kind = switch error.kind {
            case .cancelled: .cancelled
            case .timeout: .timeout
            default: .transport
            }
            return .failure(UpstreamError(kind, "\(url): \(error.message) [\(error.code)]", requestMayHaveBeenSent: error.requestMayHaveBeenSent))
        }
    }
}
