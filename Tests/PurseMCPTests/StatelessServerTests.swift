import Foundation
import Ledger
import PurseCore
import Testing
import Wallet
@testable import PurseMCP

/// MCP 2026-07-28 on the in-process server: discover, the envelope's errors, results with
/// `resultType`, cache hints and the `serverInfo` stamp, the input-required round trip, and
/// cancellation — over the same transport and tool path as the handshake revisions.
@Suite struct StatelessServerTests {
    static let plainCaps: JSONValue = [:]
    static let elicitCaps: JSONValue = ["elicitation": ["form": [:]]]

    static func meta(_ capabilities: JSONValue = plainCaps, version: String = "2026-07-28", extra: JSONObject = [:]) -> JSONValue {
        var o: JSONObject = [
            "io.modelcontextprotocol/protocolVersion": .string(version),
            "io.modelcontextprotocol/clientCapabilities": capabilities,
            "io.modelcontextprotocol/clientInfo": ["name": "unit", "version": "9"],
        ]
        for m in extra.members { o[m.key] = m.value }
        return .object(o)
    }

    func request(_ h: PipeHarness, _ id: Int, _ method: String, _ params: JSONObject = [:], meta: JSONValue = meta()) async throws -> JSONValue {
        var p = params
        p["_meta"] = meta
        h.request(id, method, .object(p))
        return try await h.response(id)
    }

    @Test func discoverListAndCallCarryTheRevisionsFields() async throws {
        let h = PipeHarness()
        let discover = try await request(h, 1, "server/discover")
        let list = try await request(h, 2, "tools/list")
        let call = try await request(h, 3, "tools/call", ["name": "wallet_address", "arguments": [:]])
        let read = try await request(h, 4, "resources/read", ["uri": "purse://budget"])
        let resources = try await request(h, 5, "resources/list")
        try await h.finish()
        #expect(h.badLines.isEmpty)
        let d = try #require(discover["result"])
        #expect(d["supportedVersions"] == ["2026-07-28"] && d["resultType"] == "complete")
        #expect(d["capabilities"]?["tools"] != nil && d["capabilities"]?["resources"] != nil)
        #expect(d["cacheScope"] == "public" && (d["ttlMs"]?.int64Value ?? 0) > 0)
        for reply in [discover, list, call, read, resources] {
            #expect(reply["result"]?["_meta"]?["io.modelcontextprotocol/serverInfo"] == ["name": "purse", "version": "0.0.1-test"])
            #expect(reply["result"]?["resultType"] == "complete")
        }
        let tools = try #require(list["result"]?["tools"]?.arrayValue)
        #expect(tools.compactMap { $0["name"]?.stringValue } == ToolCatalog.names)
        #expect(tools.allSatisfy { $0["title"]?.stringValue != nil && $0["icons"]?.arrayValue?.count == 1 })
        #expect(list["result"]?["cacheScope"] == "public" && list["result"]?["ttlMs"] == .integer(StatelessServer.catalogTTLMilliseconds))
        #expect(call["result"]?["structuredContent"]?["address"] == "0xabc" && call["result"]?["isError"] == false)
        #expect(call["result"]?["ttlMs"] == nil, "tools/call is not a cacheable result")
        #expect(read["result"]?["cacheScope"] == "private" && read["result"]?["ttlMs"] == 0)
        #expect(read["result"]?["contents"]?.arrayValue?[safe: 0]?["uri"] == "purse://budget")
        #expect(resources["result"]?["resources"]?.arrayValue?.count == 2)
        #expect(h.backend.clients == ["unit 9"], "the first request's clientInfo is recorded once")
    }

    @Test func theRevisionsErrors() async throws {
        let h = PipeHarness()
        let badVersion = try await request(h, 1, "tools/list", meta: Self.meta(version: "2099-01-01"))
        h.request(2, "tools/list", ["_meta": ["io.modelcontextprotocol/protocolVersion": "2026-07-28"]])
        let missing = try await h.response(2)
        let unknownTool = try await request(h, 3, "tools/call", ["name": "nope", "arguments": [:]])
        let unknownMethod = try await request(h, 4, "ping")
        h.request(5, "initialize", ["protocolVersion": "2025-11-25", "capabilities": [:], "clientInfo": ["name": "late", "version": "1"]])
        let lateInit = try await h.response(5)
        try await h.finish()
        #expect(badVersion["error"] == ["code": -32022, "message": "Unsupported protocol version",
                                        "data": ["supported": ["2026-07-28"], "requested": "2099-01-01"]])
        #expect(missing["error"]?["code"] == -32602)
        #expect(unknownTool["error"]?["code"] == -32602)
        #expect(unknownMethod["error"]?["code"] == -32601)
        #expect(lateInit["error"]?["code"] == -32022 && lateInit["error"]?["data"]?["supported"] == ["2026-07-28"])
        #expect(h.backend.calls.isEmpty)
    }

    @Test func aHandshakeConnectionRefusesTheEnvelope() async throws {
        let h = PipeHarness()
        try await h.initialize(version: "2025-11-25")
        let refused = try await request(h, 1, "tools/list")
        h.request(2, "tools/list")
        let listed = try await h.response(2)
        try await h.finish()
        #expect(refused["error"]?["code"] == -32600)
        #expect(listed["result"]?["tools"]?.arrayValue?.count == ToolCatalog.names.count && listed["result"]?["resultType"] == nil)
        #expect(listed["result"]?["tools"]?.arrayValue?[safe: 0]?["icons"]?.arrayValue?.count == 1, "icons in the handshake revisions too")
    }

    // MARK: - Input required

    static let approve: JSONObject = ["name": "paid_fetch", "arguments": ["url": "https://api.example.com/approve"]]

    func firstRound(_ h: PipeHarness, id: Int = 1) async throws -> (ask: JSONValue, state: String) {
        let reply = try await request(h, id, "tools/call", Self.approve, meta: Self.meta(Self.elicitCaps))
        let result = try #require(reply["result"])
        #expect(result["resultType"] == "input_required")
        return (try #require(result["inputRequests"]?["approve_payment"]), try #require(result["requestState"]?.stringValue))
    }

    func retry(_ h: PipeHarness, id: Int, state: String, answer: JSONValue?, arguments: JSONValue? = nil) async throws -> JSONValue {
        var p = Self.approve
        if let arguments { p["arguments"] = arguments }
        p["requestState"] = .string(state)
        if let answer { p["inputResponses"] = ["approve_payment": answer] }
        return try await request(h, id, "tools/call", p, meta: Self.meta(Self.elicitCaps))
    }

    @Test func acceptPaysAndTheQuestionShowsThePayment() async throws {
        let h = PipeHarness(approvalTimeout: .seconds(300))
        let (ask, state) = try await firstRound(h)
        let paid = try await retry(h, id: 2, state: state, answer: ["action": "accept", "content": ["approve": true]])
        try await h.finish()
        #expect(ask["method"] == "elicitation/create" && ask["params"]?["mode"] == "form")
        let message = try #require(ask["params"]?["message"]?.stringValue)
        for part in ["0.05 USDC", "eip155:84532", PlanFixture.payTo, PlanFixture.url, "Host: api.example.com", "Payment flow: authorization",
                     "Budget left: 0.95"] {
            #expect(message.contains(part), "\(part)")
        }
        #expect(ask["params"]?["requestedSchema"]?["properties"]?["approve"]?["type"] == "boolean")
        #expect(paid["result"]?["resultType"] == "complete" && paid["result"]?["structuredContent"]?["body"] == "approved")
        #expect(!h.lines.contains { $0["method"] == "elicitation/create" }, "no server-initiated request in 2026-07-28")
    }

    @Test("decline, cancel or approve:false pay nothing", arguments: [
        #"{"action":"decline"}"#, #"{"action":"cancel"}"#, #"{"action":"accept","content":{"approve":false}}"#,
    ])
    func declined(answer: String) async throws {
        let h = PipeHarness(approvalTimeout: .seconds(300))
        let (_, state) = try await firstRound(h)
        let reply = try await retry(h, id: 2, state: state, answer: try JSONValue.parse(answer))
        try await h.finish()
        #expect(reply["result"]?["structuredContent"]?["body"] == "approval.declined")
    }

    @Test func alteredReplayedOrReboundStatesAreRefusedBeforeTheToolRuns() async throws {
        let h = PipeHarness(approvalTimeout: .seconds(300))
        let (_, state) = try await firstRound(h)
        let accept: JSONValue = ["action": "accept", "content": ["approve": true]]
        var chars = Array(state)
        chars[chars.count - 1] = chars.last == "0" ? "1" : "0"
        let altered = try await retry(h, id: 2, state: String(chars), answer: accept)
        let rebound = try await retry(h, id: 3, state: state, answer: accept, arguments: ["url": "https://api.example.com/approve?x=1"])
        let callsBefore = h.backend.calls.count
        let genuine = try await retry(h, id: 4, state: state, answer: accept)
        let replayed = try await retry(h, id: 5, state: state, answer: accept)
        try await h.finish()
        #expect(altered["error"]?["code"] == -32602 && altered["error"]?["data"]?["code"] == "approval.state_invalid")
        #expect(rebound["error"]?["data"]?["code"] == "approval.state_invalid")
        #expect(genuine["result"]?["structuredContent"]?["body"] == "approved")
        #expect(replayed["error"]?["code"] == -32602 && replayed["error"]?["data"]?["code"] == "approval.state_reused")
        #expect(h.backend.calls.count == callsBefore + 1, "refused states never reach the backend")
    }

    @Test func aStateOlderThanTheApprovalTimeoutIsRefused() async throws {
        let h = PipeHarness(approvalTimeout: .milliseconds(200))
        let (_, state) = try await firstRound(h)
        try await Task.sleep(for: .milliseconds(300))
        let late = try await retry(h, id: 2, state: state, answer: ["action": "accept", "content": ["approve": true]])
        try await h.finish()
        #expect(late["error"]?["code"] == -32602 && late["error"]?["data"]?["code"] == "approval.state_expired")
    }

    @Test func aStateWithNoAnswerAsksAgain() async throws {
        let h = PipeHarness(approvalTimeout: .seconds(300))
        let (_, state) = try await firstRound(h)
        let again = try await retry(h, id: 2, state: state, answer: nil)
        try await h.finish()
        #expect(again["result"]?["resultType"] == "input_required" && again["result"]?["requestState"]?.stringValue != state)
    }

    @Test func withoutElicitationTheTerminalStyleIsUsed() async throws {
        let h = PipeHarness(approvalTimeout: .seconds(300))
        let reply = try await request(h, 1, "tools/call", Self.approve)
        try await h.finish()
        #expect(reply["result"]?["structuredContent"]?["body"] == "approval.required")
        #expect(h.backend.events.contains("terminal:-"))
    }

    @Test func anApprovedStateForOtherTermsIsAMismatch() async {
        let other = ApprovalTerms(host: HostName("api.example.com"), network: "eip155:84532", asset: PlanFixture.terms.asset,
                                  payTo: PlanFixture.terms.payTo, payer: PlanFixture.terms.payer, amountAtomic: 49_999)
        let refusal = await InputRequiredApprover(mode: .answered(approved: true, terms: other)).approve(PlanFixture.plan(), budgetLeft: "1")
        #expect(refusal?.code == "approval.mismatch")
        #expect(await InputRequiredApprover(mode: .answered(approved: true, terms: PlanFixture.terms))
            .approve(PlanFixture.plan(amount: "40000"), budgetLeft: "1") == nil, "a lower price is within the terms")
        let asking = InputRequiredApprover(mode: .ask)
        #expect(await asking.approve(PlanFixture.plan(), budgetLeft: "0.95")?.code == "approval.input_required")
        #expect(asking.question?.terms == PlanFixture.terms && asking.question?.request.budgetLeft == "0.95")
    }

    // MARK: - Logs, progress, cancellation

    @Test func logsGoOnlyToRequestsThatOptIn() async throws {
        let h = PipeHarness()
        let call: JSONObject = ["name": "paid_fetch", "arguments": ["url": "https://x.example/log"]]
        _ = try await request(h, 1, "tools/call", call)
        _ = try await request(h, 2, "tools/call", call, meta: Self.meta(extra: ["io.modelcontextprotocol/logLevel": "warning"]))
        try await h.finish()
        let logs = h.lines.filter { $0["method"] == "notifications/message" }.compactMap { $0["params"]?["data"]?.stringValue }
        #expect(logs == ["warning-line"])
    }

    @Test func aCancelledStatelessCallGetsNoReplyAndItsWorkCompletes() async throws {
        let h = PipeHarness()
        var p: JSONObject = ["name": "paid_fetch", "arguments": ["url": "https://x.example/held"]]
        p["_meta"] = Self.meta()
        h.request(1, "tools/call", .object(p))
        // A bound, not a timing: in a parallel run on two cores, suites that block their threads
        // (PostgreSQL restarts, child processes) can hold the whole cooperative pool for seconds.
        let deadline = ContinuousClock.now + .seconds(60)
        while !h.backend.events.contains("call:start:https://x.example/held") {
            try #require(ContinuousClock.now < deadline, "the call did not start")
            try await Task.sleep(for: .milliseconds(5))
        }
        h.send(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": 1]])
        // Frames are routed in order: once request 2 is answered, the cancel has been taken.
        // Only then may the held call finish (it used to sleep 500 ms, and on a busy machine it
        // could finish and reply before the cancel arrived).
        let after = try await request(h, 2, "tools/list")
        h.backend.releaseHeld()
        try await h.finish()
        #expect(after["result"] != nil)
        #expect(!h.lines.contains { $0["id"] == 1 })
        #expect(h.backend.events.contains("call:end:https://x.example/held"), "the backend call ran to its end")
    }
}
