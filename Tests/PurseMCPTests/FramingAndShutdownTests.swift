import Foundation
import PurseCore
import Testing
@testable import PurseMCP

@Suite("stdio framing and shutdown")
struct FramingAndShutdownTests {
    @Test("six concurrent ~300 KB replies to a late, slow reader arrive as whole lines")
    func backPressure() async throws {
        let h = PipeHarness(reader: .init(startDelay: .milliseconds(500), chunkSize: 4096, pausePerChunk: .milliseconds(1)))
        h.request(0, "initialize", [
            "protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "slow", "version": "1"],
        ])
        for id in 1...6 {
            h.request(id, "tools/call", ["name": "paid_fetch", "arguments": ["url": "https://api.example.com/big"]])
        }
        for id in 0...6 { _ = try await h.response(id, timeout: .seconds(30)) }
        try await h.finish()
        #expect(h.badLines.isEmpty)
        let replies = h.lines.filter { $0["id"] != nil }
        #expect(replies.count == 7)
        #expect(Set(replies.compactMap { $0["id"]?.int64Value }) == Set(0...6))
        for reply in replies where reply["id"] != 0 {
            #expect(reply["result"]?["structuredContent"]?["body"]?.stringValue?.count == 300_000)
        }
    }

    @Test("stdin EOF with a slow call in flight: its reply is written, then run returns; a last line without newline is answered")
    func eofWaitsForInFlight() async throws {
        let h = PipeHarness()
        try await h.initialize()
        let start = ContinuousClock.now
        h.request(1, "tools/call", ["name": "paid_fetch", "arguments": ["url": "https://api.example.com/slow"]])
        h.sendRaw(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#)  // no trailing newline
        h.closeInput()
        try await h.waitForRun()
        let returned = try #require(h.runFinished)
        #expect(returned - start >= .milliseconds(500))
        // run() returned only after the backend call (the payment) had ended.
        #expect(h.backend.events.contains("call:end:https://api.example.com/slow"))
        try await h.finish()
        let slow = try #require(h.lines.first { $0["id"] == 1 })
        #expect(slow["result"]?["structuredContent"]?["body"] == "slow")
        #expect(h.lines.first { $0["id"] == 2 }?["result"]?["tools"]?.arrayValue?.count == ToolCatalog.names.count)
        #expect(h.badLines.isEmpty)
    }

    @Test("stdin EOF with a slow non-tool request in flight: run waits for its reply")
    func eofWaitsForSlowRead() async throws {
        let h = PipeHarness()
        try await h.initialize()
        h.request(1, "resources/read", ["uri": "purse://spend-log"])
        h.closeInput()
        try await h.finish()
        let reply = try #require(h.lines.first { $0["id"] == 1 })
        #expect(reply["result"]?["contents"]?.arrayValue?.count == 1)
    }

    @Test("stdin EOF with nothing in flight returns promptly")
    func eofIdle() async throws {
        let h = PipeHarness()
        try await h.initialize()
        let start = ContinuousClock.now
        try await h.finish()
        // Generous bound: this only tells "returns" from "waits for something that never comes"
        // on a loaded 2-core machine, where CPU-bound suites running in parallel can hold the
        // cooperative pool for seconds (a fresh clone's run once took 16 s here).
        #expect(ContinuousClock.now - start < .seconds(60))
        #expect(h.backend.events.isEmpty)
    }
}
