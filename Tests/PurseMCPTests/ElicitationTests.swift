import Foundation
import PurseCore
import Testing
@testable import PurseMCP

@Suite("payment approval through elicitation")
struct ElicitationTests {
    static let capable: JSONValue = ["elicitation": [:]]

    private func approve(responder: (@Sendable (JSONValue) -> JSONValue?)?, capabilities: JSONValue = capable, timeout: Duration = .seconds(60)) async throws -> (String, PipeHarness) {
        let h = PipeHarness(approvalTimeout: timeout, responder: responder)
        try await h.initialize(capabilities: capabilities)
        let reply = try await h.callTool(1, "paid_fetch", ["url": "https://api.example.com/approve"])
        let body = try #require(reply["result"]?["structuredContent"]?["body"]?.stringValue)
        try await h.finish()
        #expect(h.badLines.isEmpty)
        return (body, h)
    }

    @Test("accept with approve true → approved; the prompt carries the payment details")
    func approved() async throws {
        let (decision, h) = try await approve { request in
            request["method"] == "elicitation/create" ? ["action": "accept", "content": ["approve": true]] : nil
        }
        #expect(decision == "approved")
        let prompt = try #require(h.lines.first { $0["method"] == "elicitation/create" })
        let message = try #require(prompt["params"]?["message"]?.stringValue)
        for part in ["0.05 USDC", "eip155:84532", "0x1111111111111111111111111111111111111111",
                     "https://api.example.com/approve", "api.example.com", "Budget left: 0.95"] {
            #expect(message.contains(part), "\(part)")
        }
        let approveField = prompt["params"]?["requestedSchema"]?["properties"]?["approve"]
        #expect(approveField?["type"] == "boolean")
        #expect(approveField?["title"] == "Approve this payment")
        #expect(prompt["params"]?["requestedSchema"]?["required"] == ["approve"])
    }

    @Test("decline, cancel, or accept with approve false → declined", arguments: [
        #"{"action":"decline"}"#, #"{"action":"cancel"}"#, #"{"action":"accept","content":{"approve":false}}"#,
    ])
    func declined(answer: String) async throws {
        let result = try JSONValue.parse(answer)
        let (decision, _) = try await approve { $0["method"] == "elicitation/create" ? result : nil }
        #expect(decision == "approval.declined")
    }

    @Test("no answer within the timeout → timedOut, and the prompt is cancelled")
    func timedOut() async throws {
        let start = ContinuousClock.now
        let (decision, h) = try await approve(responder: nil, timeout: .milliseconds(300))
        #expect(decision == "approval.timeout")
        #expect(ContinuousClock.now - start >= .milliseconds(300))
        let prompt = try #require(h.lines.first { $0["method"] == "elicitation/create" })
        let cancel = try #require(h.lines.first { $0["method"] == "notifications/cancelled" })
        #expect(cancel["params"]?["requestId"] == prompt["id"])
    }

    @Test("stdin closing while a prompt is open ends the wait at once (timedOut), and the reply is still written")
    func inputClosedWhileAsking() async throws {
        let h = PipeHarness(approvalTimeout: .seconds(60))
        try await h.initialize(capabilities: Self.capable)
        h.request(1, "tools/call", ["name": "paid_fetch", "arguments": ["url": "https://api.example.com/approve"]])
        _ = try await h.waitFor("prompt") { $0["method"] == "elicitation/create" }
        let start = ContinuousClock.now
        try await h.finish()
        #expect(ContinuousClock.now - start < .seconds(40))  // well below the 60 s approval timeout (a loaded 2-core run can stall the pool for seconds)
        #expect(h.lines.first { $0["id"] == 1 }?["result"]?["structuredContent"]?["body"] == "approval.timeout")
    }

    @Test("a client without the capability → the terminal style (approval.required), and nothing is sent", arguments: [
        JSONValue.object([:]), ["elicitation": ["url": [:]]], ["sampling": [:]],
    ])
    func unsupported(capabilities: JSONValue) async throws {
        let (decision, h) = try await approve(
            responder: { _ in Issue.record("no request expected"); return nil }, capabilities: capabilities)
        #expect(decision == "approval.required")
        #expect(!h.lines.contains { $0["method"] == "elicitation/create" })
        #expect(h.backend.events.contains("terminal:-"))
    }

    @Test("a client whose elicitation fails with method-not-found also falls back to the terminal")
    func methodNotFoundFallsBack() async throws {
        let (decision, h) = try await approve { request in
            request["method"] == "elicitation/create" ? ["error": ["code": -32601, "message": "Method not found"]] : nil
        }
        #expect(decision == "approval.required")
        #expect(h.lines.contains { $0["method"] == "elicitation/create" })
        #expect(h.backend.events.contains("terminal:-"))
    }

    @Test("an approval_id is used as a terminal approval, and elicitation is not tried", arguments: [
        ("apr_good", "approved"), ("apr_forged", "approval.unknown"),
    ])
    func approvalIDSkipsElicitation(id: String, expected: String) async throws {
        let h = PipeHarness(approvalTimeout: .seconds(60), responder: { _ in Issue.record("no request expected"); return nil })
        try await h.initialize(capabilities: Self.capable)
        let reply = try await h.callTool(1, "paid_fetch", ["url": "https://api.example.com/approve", "approval_id": .string(id)])
        try await h.finish()
        #expect(reply["result"]?["structuredContent"]?["body"] == .string(expected))
        #expect(h.backend.events.contains("terminal:\(id)"))
        #expect(h.backend.calls.last?.1["approval_id"] == nil, "the backend never sees approval_id")
    }
}
