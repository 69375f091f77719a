import Foundation
import PurseCore
import Testing
@testable import PurseMCP

@Suite("tools/call over pipes")
struct ToolCallTests {
    @Test("paid_fetch returns structuredContent and text")
    func paidFetch() async throws {
        let h = PipeHarness()
        try await h.initialize()
        let reply = try await h.callTool(1, "paid_fetch", ["url": "https://api.example.com/data", "max_price": "0.10"])
        let result = try #require(reply["result"])
        #expect(result["isError"] == false)
        #expect(result["structuredContent"]?["paid"] == true)
        #expect(result["structuredContent"]?["payment"]?["amount"] == "0.05")  // amounts stay strings
        #expect(result["structuredContent"]?["status"] == 200)
        let content = try #require(result["content"]?.arrayValue)
        #expect(content.first?["type"] == "text")
        #expect(content.first?["text"] == "Paid 0.05 USDC; HTTP 200")
        let calls = h.backend.calls
        #expect(calls.count == 1)
        #expect(calls.first?.0 == "paid_fetch")
        #expect(calls.first?.1["method"] == "GET")  // default filled in
        #expect(calls.first?.1["max_price"] == "0.10")
        // The structured result matches the declared output schema.
        let structured = try #require(result["structuredContent"])
        #expect(SchemaValidator.validate(structured, against: ToolCatalog.outputSchema("paid_fetch")) == nil)
        try await h.finish()
        #expect(h.badLines.isEmpty)
    }

    @Test("a backend error is an isError result without structuredContent")
    func backendError() async throws {
        let h = PipeHarness()
        try await h.initialize()
        let result = try #require(try await h.callTool(1, "paid_fetch", ["url": "https://api.example.com/fail"])["result"])
        #expect(result["isError"] == true)
        #expect(result["structuredContent"] == nil)
        let texts = result["content"]?.arrayValue?.compactMap { $0["text"]?.stringValue } ?? []
        #expect(texts.first == "Session budget exceeded. [budget.session_exceeded]")
        #expect(try JSONValue.parse(texts.last ?? "")["error"]?["code"] == "budget.session_exceeded")
        try await h.finish()
    }

    @Test("bad arguments give an isError result naming the argument; the backend is not called", arguments: [
        (#"{}"#, "'url'"),
        (#"{"url":"https://a.example/x","colour":"red"}"#, "'colour'"),
        (#"{"url":42}"#, "'url'"),
        (#"{"url":"https://a.example/x","method":"TRACE"}"#, "'method'"),
        (#"{"url":"ftp://a.example/x"}"#, "'url'"),
        (#"{"url":"https://a.example/x","max_price":"1e3"}"#, "'max_price'"),
        (#"{"url":"https://a.example/x","headers":{"X-A":"1\r\nX-B: 2"}}"#, "'headers.X-A'"),
        (#"{"url":"https://a.example/x","headers":{"bad name":"1"}}"#, "'headers.bad name'"),
    ])
    func badArguments(arguments: String, named: String) async throws {
        let h = PipeHarness()
        try await h.initialize()
        let result = try #require(try await h.callTool(1, "paid_fetch", try JSONValue.parse(arguments))["result"])
        #expect(result["isError"] == true)
        let text = try #require(result["content"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(text.contains(named), "\(text)")
        #expect(text.contains("paid_fetch"))
        let json = try JSONValue.parse(try #require(result["content"]?.arrayValue?.last?["text"]?.stringValue))
        #expect(json["error"]?["code"] == "mcp.bad_arguments")
        try await h.finish()
        #expect(h.backend.calls.isEmpty)
    }

    @Test("size limits: url over 8192, body over 1 MiB, more than 64 headers")
    func sizeLimits() async throws {
        let h = PipeHarness()
        try await h.initialize()
        let longURL = "https://a.example/" + String(repeating: "a", count: 8192)
        var headers = JSONObject()
        for i in 0..<65 { headers["X-H\(i)"] = "v" }
        let cases: [(JSONValue, String)] = [
            (["url": .string(longURL)], "'url'"),
            (["url": "https://a.example/x", "body": .string(String(repeating: "b", count: 1_048_577))], "'body'"),
            (["url": "https://a.example/x", "headers": .object(headers)], "'headers'"),
        ]
        for (i, (arguments, named)) in cases.enumerated() {
            let result = try #require(try await h.callTool(10 + i, "paid_fetch", arguments)["result"])
            #expect(result["isError"] == true)
            #expect(result["content"]?.arrayValue?.first?["text"]?.stringValue?.contains(named) == true)
        }
        // Exactly at the limits is fine.
        var sixtyFour = JSONObject()
        for i in 0..<64 { sixtyFour["X-H\(i)"] = "v" }
        let ok = try await h.callTool(20, "paid_fetch", [
            "url": .string("https://a.example/" + String(repeating: "a", count: 8192 - 18)),
            "body": .string(String(repeating: "b", count: 1_048_576)), "headers": .object(sixtyFour),
        ])
        #expect(ok["result"]?["isError"] == false)
        try await h.finish()
        #expect(h.backend.calls.count == 1)
    }

    @Test("spend_log limit range and default")
    func spendLogLimit() async throws {
        let h = PipeHarness()
        try await h.initialize()
        #expect(try await h.callTool(1, "spend_log", ["limit": 0])["result"]?["isError"] == true)
        #expect(try await h.callTool(2, "spend_log", ["limit": 501])["result"]?["isError"] == true)
        #expect(try await h.callTool(3, "spend_log", ["limit": .number("2.5")])["result"]?["isError"] == true)
        _ = try await h.callTool(4, "spend_log", [:])
        try await h.finish()
        #expect(h.backend.calls.map(\.1) == [["limit": 20]])
    }

    @Test("an unknown tool is a JSON-RPC invalid params error")
    func unknownTool() async throws {
        let h = PipeHarness()
        try await h.initialize()
        let reply = try await h.callTool(1, "steal_funds", [:])
        #expect(reply["error"]?["code"] == -32602)
        try await h.finish()
        #expect(h.backend.calls.isEmpty)
    }

    @Test("a cancelled paid_fetch is not cancelled in the backend, gets no reply, and shutdown waits for it")
    func cancellation() async throws {
        let h = PipeHarness()
        try await h.initialize()
        h.request(1, "tools/call", ["name": "paid_fetch", "arguments": ["url": "https://api.example.com/held"]])
        // Cancel only once the call is running in the backend (an event, not a guess at timing).
        try await Self.waitUntil { h.backend.events.contains("call:start:https://api.example.com/held") }
        h.send(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 1, "reason": "user"]])
        // Frames are routed in order: once the ping is answered, the cancel has been taken; only
        // then does the held call finish.
        h.request(2, "ping")
        _ = try await h.response(2)
        h.backend.releaseHeld()
        try await h.finish()
        // The cancel landed: the client got no reply. The payment did not see it and ran to the end
        // before the server returned.
        #expect(!h.lines.contains { $0["id"] == 1 })
        let events = h.backend.events
        #expect(events.contains("call:held:cancelled=false"))
        #expect(events.contains("call:end:https://api.example.com/held"))
        #expect(h.badLines.isEmpty)
    }

    /// Polls `condition` every 5 ms until it holds; fails after `seconds`.
    /// Polls `condition` until it holds. The bound only turns a hang into a failure: in a
    /// parallel run on two cores, CPU-bound suites can hold the whole cooperative pool for
    /// seconds (a fresh clone's run once needed more than 10 s here).
    static func waitUntil(seconds: Double = 60, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw PurseError("test.timeout", "condition not met in \(seconds) s") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
