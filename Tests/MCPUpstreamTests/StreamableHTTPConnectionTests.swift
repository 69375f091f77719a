import Foundation
import HTTP
@testable import MCPUpstream
import PurseCore
import PurseTesting
import Testing

/// The Streamable HTTP client over an in-memory `HTTPClient`: headers, session ids, SSE and JSON
/// answers, expiry, caps.
@Suite struct StreamableHTTPConnectionTests {
    static func json(_ v: JSONValue, headers: [(String, String)] = [("Content-Type", "application/json")], status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders(headers), body: v.encodedBytes())
    }

    @Test func sessionIdAndRevisionAreSentAfterInitializeAndSSEAnswersAreRead() async throws {
        let http = InMemoryHTTPClient { r throws(HTTPError) in
            if r.method == "DELETE" { return HTTPResponse(status: 200) }
            let body = try! JSONParser().parse(r.body ?? [UInt8]())
            let id = body["id"] ?? .null
            switch body["method"]?.stringValue {
            case "initialize":
                return Self.json(["jsonrpc": "2.0", "id": id, "result": ["protocolVersion": "2025-06-18", "capabilities": [:], "serverInfo": ["name": "h", "version": "1"]]],
                                 headers: [("Content-Type", "application/json"), ("Mcp-Session-Id", "sess-1")])
            case "notifications/initialized": return HTTPResponse(status: 202)
            default:
                let note: JSONValue = ["jsonrpc": "2.0", "method": "notifications/progress", "params": ["progress": 1]]
                let reply: JSONValue = ["jsonrpc": "2.0", "id": id, "result": ["content": [], "isError": false]]
                let sse = "event: message\ndata: \(note.encoded())\n\nevent: message\ndata: \(reply.encoded())\n\n"
                return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/event-stream")]), body: Array(sse.utf8))
            }
        }
        let c = StreamableHTTPConnection(url: "http://up.test/mcp", headers: [("Authorization", "Bearer t")], http: http)
        let client = try await MCPClient.handshake(over: c, clientVersion: "0", timeout: .seconds(2))
        #expect(client.identity.protocolVersion == "2025-06-18")
        let reply = try await client.callTool("t", arguments: [:], meta: nil, timeout: .seconds(2))
        #expect(reply == .result(["content": [], "isError": false]))
        let reqs = http.requests
        #expect(reqs.allSatisfy { $0.method == "POST" && $0.headers["Authorization"] == "Bearer t" })
        #expect(reqs[0].headers["Mcp-Session-Id"] == nil && reqs[0].headers["MCP-Protocol-Version"] == nil)
        #expect(reqs[0].headers["Accept"] == "application/json, text/event-stream")
        #expect(reqs.dropFirst().allSatisfy { $0.headers["Mcp-Session-Id"] == "sess-1" && $0.headers["MCP-Protocol-Version"] == "2025-06-18" })
        await c.close()
        #expect(http.requests.last?.method == "DELETE" && http.requests.last?.headers["Mcp-Session-Id"] == "sess-1")
    }

    @Test func a404OnASessionIsAnExpiryNothingProcessed() async throws {
        let http = InMemoryHTTPClient { r throws(HTTPError) in
            let body = try! JSONParser().parse(r.body ?? [UInt8]())
            if body["method"] == "initialize" {
                return Self.json(["jsonrpc": "2.0", "id": body["id"] ?? .null, "result": ["protocolVersion": "2025-11-25"]],
                                 headers: [("Content-Type", "application/json"), ("Mcp-Session-Id", "s")])
            }
            return HTTPResponse(status: 404)
        }
        let c = StreamableHTTPConnection(url: "http://up.test/mcp", headers: [], http: http)
        _ = try await MCPClient.handshake(over: c, clientVersion: "0", timeout: .seconds(2))
        do {
            _ = try await c.request("tools/call", params: [:], timeout: .seconds(2))
            Issue.record("expected an expiry")
        } catch {
            #expect(error.kind == .sessionExpired && !error.requestMayHaveBeenSent)
        }
    }

    @Test func aBodyCutAtTheCapIsTooLargeAndAnErrorStatusMaySettle() async throws {
        let http = InMemoryHTTPClient { r throws(HTTPError) in
            let body = try! JSONParser().parse(r.body ?? [UInt8]())
            if body["method"] == "big" { return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: Array(repeating: 0x20, count: 64), truncated: true) }
            return HTTPResponse(status: 500, body: Array("boom".utf8))
        }
        let c = StreamableHTTPConnection(url: "http://up.test/mcp", headers: [], http: http)
        #expect(try await c.request("big", params: nil, timeout: .seconds(2)) == .tooLarge(bytes: 64))
        do {
            _ = try await c.request("other", params: nil, timeout: .seconds(2))
            Issue.record("expected an HTTP status error")
        } catch {
            #expect(error.kind == .httpStatus && error.requestMayHaveBeenSent && error.message.contains("500"))
        }
    }

    @Test func aTransportFailureBeforeSendingSaysNothingWasSent() async {
        let http = InMemoryHTTPClient { _ throws(HTTPError) in throw HTTPError(.connectFailed, "refused", requestMayHaveBeenSent: false) }
        let c = StreamableHTTPConnection(url: "http://up.test/mcp", headers: [], http: http)
        do {
            _ = try await c.request("initialize", params: nil, timeout: .seconds(2))
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .transport && !error.requestMayHaveBeenSent && error.message.contains("http.connect_failed"))
        }
    }

    /// libcurl's own timeout (http.timeoutMs) is an upstream timeout too, not a transport failure:
    /// with both clocks set from that limit, either may fire first.
    @Test func theHTTPClientsTimeoutIsAnUpstreamTimeout() async {
        let http = InMemoryHTTPClient { _ throws(HTTPError) in
            throw HTTPError(.timeout, "Operation timed out after 3000 milliseconds", requestMayHaveBeenSent: true)
        }
        let c = StreamableHTTPConnection(url: "http://up.test/mcp", headers: [], http: http)
        do {
            _ = try await c.request("tools/call", params: nil, timeout: .seconds(30))
            Issue.record("expected a timeout")
        } catch {
            #expect(error.kind == .timeout && error.requestMayHaveBeenSent && error.message.contains("http.timeout"))
        }
    }

    /// The call is cut by its own timeout, not by the server: the fake server's 30 s hang has not
    /// ended when the call returns (judged by the hang's own end, not by a wall-clock bound that
    /// a loaded machine can miss).
    @Test func theTimeoutIsPurses() async {
        let hangEnded = Locked(false)
        let http = InMemoryHTTPClient { _ throws(HTTPError) in
            try? await Task.sleep(for: .seconds(30))
            if !Task.isCancelled { hangEnded.withLock { $0 = true } }
            throw HTTPError(.cancelled, "cancelled", requestMayHaveBeenSent: true)
        }
        let c = StreamableHTTPConnection(url: "http://up.test/mcp", headers: [], http: http)
        do {
            _ = try await c.request("tools/call", params: nil, timeout: .milliseconds(200))
            Issue.record("expected a timeout")
        } catch {
            #expect(error.kind == .timeout && error.requestMayHaveBeenSent)
        }
        #expect(hangEnded.withLock { $0 } == false, "the call waited for the server's hang instead of timing out")
    }
}
