import Foundation
import MCPUpstream
import PurseCore
import Testing

/// An in-process upstream: answers each request with a closure and records what it was sent.
final class FakeConnection: MCPConnection, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [(String, JSONValue?)] = []
    private var notes: [String] = []
    private var version: String?
    let answer: @Sendable (String, JSONValue?) throws(UpstreamError) -> RPCReply

    init(_ answer: @escaping @Sendable (String, JSONValue?) throws(UpstreamError) -> RPCReply) { self.answer = answer }

    var requests: [(String, JSONValue?)] { lock.withLock { sent } }
    var notifications: [String] { lock.withLock { notes } }
    var agreedVersion: String? { lock.withLock { version } }

    func request(_ method: String, params: JSONValue?, timeout: Duration) async throws(UpstreamError) -> RPCReply {
        lock.withLock { sent.append((method, params)) }
        return try answer(method, params)
    }
    func notify(_ method: String, params: JSONValue?) async { lock.withLock { notes.append(method) } }
    func agreed(protocolVersion: String) async { lock.withLock { version = protocolVersion } }
    var isAlive: Bool { true }
    func close() async {}
}

@Suite struct MCPClientTests {
    static func initResult(_ version: String) -> RPCReply {
        .result(["protocolVersion": .string(version), "capabilities": ["tools": ["listChanged": true]],
                 "serverInfo": ["name": "up", "version": "1.2"]])
    }

    @Test func handshakeOffersTheNewestRevisionAndAcceptsAnOlderAnswer() async throws {
        let c = FakeConnection { method, _ in method == "initialize" ? Self.initResult("2025-03-26") : .result([:]) }
        let client = try await MCPClient.handshake(over: c, clientVersion: "0.1.0", timeout: .seconds(1))
        #expect(c.requests.first?.1?["protocolVersion"] == "2025-11-25")
        #expect(c.requests.first?.1?["capabilities"] == [:])
        #expect(client.identity == ServerIdentity(protocolVersion: "2025-03-26", name: "up", version: "1.2", toolsListChanged: true))
        #expect(c.agreedVersion == "2025-03-26")
        #expect(c.notifications == ["notifications/initialized"])
    }

    @Test func anUpstreamThatRefusesTheOfferIsAskedWithWhatItSupports() async throws {
        let c = FakeConnection { method, params in
            guard method == "initialize" else { return .result([:]) }
            if params?["protocolVersion"] == "2024-11-05" { return Self.initResult("2024-11-05") }
            return .error(code: -32602, message: "Unsupported protocol version", data: ["supported": ["2024-11-05"]])
        }
        let client = try await MCPClient.handshake(over: c, clientVersion: "0.1.0", timeout: .seconds(1))
        #expect(client.identity.protocolVersion == "2024-11-05")
        #expect(c.requests.compactMap { $0.1?["protocolVersion"]?.stringValue } == ["2025-11-25", "2024-11-05"])
    }

    @Test func aRevisionPurseDoesNotSpeakIsRefused() async {
        let c = FakeConnection { _, _ in Self.initResult("2099-01-01") }
        await #expect(throws: UpstreamError.self) { _ = try await MCPClient.handshake(over: c, clientVersion: "0", timeout: .seconds(1)) }
        do { _ = try await MCPClient.handshake(over: c, clientVersion: "0", timeout: .seconds(1)) } catch {
            #expect(error.kind == .protocolVersion)
        }
    }

    @Test func toolsAreListedAcrossPagesAndNamelessEntriesSkipped() async throws {
        let c = FakeConnection { method, params in
            switch method {
            case "initialize": return Self.initResult("2025-11-25")
            case "tools/list":
                if params?["cursor"] == "p2" { return .result(["tools": [["name": "b", "inputSchema": ["type": "object"]]]]) }
                return .result(["tools": [["name": "a", "description": "A", "annotations": ["readOnlyHint": true]], ["title": "no name"]], "nextCursor": "p2"])
            default: return .result([:])
            }
        }
        let client = try await MCPClient.handshake(over: c, clientVersion: "0", timeout: .seconds(1))
        let tools = try await client.listTools(timeout: .seconds(1))
        #expect(tools.map(\.name) == ["a", "b"])
        #expect(tools[0].description == "A" && tools[0].annotations == ["readOnlyHint": true])
        #expect(tools[0].inputSchema == ["type": "object"])
    }

    @Test func aToolCallCarriesMetaAndReturnsTheAnswerAsReceived() async throws {
        let c = FakeConnection { method, _ in
            method == "initialize" ? Self.initResult("2025-11-25") : .result(["content": [["type": "text", "text": "pong"]], "isError": false])
        }
        let client = try await MCPClient.handshake(over: c, clientVersion: "0", timeout: .seconds(1))
        let reply = try await client.callTool("ping", arguments: ["message": "hi"], meta: ["x402/payment": ["x402Version": 2]], timeout: .seconds(1))
        #expect(reply == .result(["content": [["type": "text", "text": "pong"]], "isError": false]))
        let params = try #require(c.requests.last?.1)
        #expect(params == ["name": "ping", "arguments": ["message": "hi"], "_meta": ["x402/payment": ["x402Version": 2]]])
    }
}
