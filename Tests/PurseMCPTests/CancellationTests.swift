import Foundation
import PurseCore
import Testing
@testable import PurseMCP

/// `notifications/cancelled` for a tool call that is provably in flight: it is waiting for an
/// approval that this client holds. The server reads its input in order, so the cancel is
/// handled before the approval arrives. The proof that it landed is that the cancelled call gets
/// no reply while the same call without a cancel does; the backend call itself runs to its end.
@Suite("cancelling a call in flight", .timeLimit(.minutes(1)))
struct CancellationTests {
    static let capable: JSONValue = ["elicitation": [:]]

    static let url = "https://api.example.com/approve"
    static let callEnded = "call:end:\(url)"

    /// Calls `/approve` as request `id`, waits for its prompt (the call is now in flight, waiting
    /// for us), cancels the call if asked, approves the prompt, and waits for the backend call to
    /// end (calls run one after another, so call `id` is the `id`-th to end).
    static func approveCall(_ h: PipeHarness, id: Int, cancel: Bool) async throws {
        let earlier = h.lines.filter { $0["method"] == "elicitation/create" }.compactMap { $0["id"] }
        h.request(id, "tools/call", ["name": "paid_fetch", "arguments": ["url": .string(url)]])
        let prompt = try await h.waitFor("the prompt of call \(id)") { line in
            line["method"] == "elicitation/create" && !earlier.contains(line["id"] ?? .null)
        }
        if cancel {
            h.send(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": .integer(id), "reason": "test"]])
        }
        h.send(["jsonrpc": "2.0", "id": try #require(prompt["id"]), "result": ["action": "accept", "content": ["approve": true]]])
        let deadline = ContinuousClock.now + .seconds(30)
        while h.backend.events.filter({ $0 == callEnded }).count < id {
            guard ContinuousClock.now < deadline else { throw HarnessTimeout(description: "call \(id) never ended") }
            try await Task.sleep(for: .milliseconds(5))  // a bounded poll of the backend's event log
        }
    }

    @Test("a cancelled call gets no reply though its backend call completes; the same call uncancelled is answered")
    func cancelLands() async throws {
        let h = PipeHarness(approvalTimeout: .seconds(60))
        try await h.initialize(capabilities: Self.capable)
        try await Self.approveCall(h, id: 1, cancel: true)
        try await Self.approveCall(h, id: 2, cancel: false)
        let control = try await h.response(2)
        #expect(control["result"]?["structuredContent"]?["body"] == "approved")
        try await h.finish()
        #expect(!h.lines.contains { $0["id"] == 1 && $0["method"] == nil }, "the cancelled call was answered: the cancel did not land")
        #expect(h.backend.events.filter { $0 == Self.callEnded }.count == 2, "both backend calls ran to their end")
        #expect(h.badLines.isEmpty)
    }
}
