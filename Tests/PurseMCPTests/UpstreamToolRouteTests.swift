import Foundation
import Logging
import MCP
import PurseCore
import Testing
import Wallet
@testable import PurseMCP

@Suite struct UpstreamToolRouteTests {
    @Test func upstreamToolsFollowPursesOwnWithTheirSchemasUnchanged() throws {
        var skipped: [String] = []
        let tools = UpstreamToolRoute.tools(FakeUpstreamBackend()) { skipped.append($0) }
        #expect(tools.map(\.name) == ToolCatalog.names + ["weather__get_weather"])
        let t = try #require(tools.last)
        // Equal as JSON (the SDK's values are unordered, so compare as its values).
        #expect(t.inputSchema == FakeUpstreamBackend.definition["inputSchema"]?.mcpValue)
        #expect(t.outputSchema == FakeUpstreamBackend.definition["outputSchema"]?.mcpValue)
        #expect(t.annotations.readOnlyHint == true && t.annotations.idempotentHint == true && t.annotations.destructiveHint == nil)
        #expect(t.title == "Weather" && t.description?.hasPrefix("[weather] Costs 0.01 USDC per call") == true)
        // An entry the SDK cannot represent (no inputSchema) is left out, and said so.
        #expect(skipped.count == 1 && skipped[0].contains("broken__tool"))
    }

    @Test func onlyUpstreamNamesAreRouted() {
        let b = FakeUpstreamBackend()
        #expect(UpstreamToolRoute.upstream(b, for: "weather__get_weather") != nil)
        #expect(UpstreamToolRoute.upstream(b, for: "paid_fetch") == nil)
        #expect(UpstreamToolRoute.upstream(FakeBackend(), for: "weather__get_weather") == nil)
    }

    @Test func aPassedThroughResultKeepsItsContentStructuredContentAndMeta() throws {
        let raw: JSONValue = [
            "content": [["type": "text", "text": "{\"t\":21}"], ["type": "image", "data": "AAAA", "mimeType": "image/png"]],
            "structuredContent": ["t": 21], "isError": false,
            "_meta": ["purse/payment": ["amount": "0.01", "status": "settled"], "x402/payment-response": ["success": true]],
        ]
        let r = PurseServer.callResult(.passthrough(raw, summary: "paid", isError: false))
        let back = try JSONValue.parse(Array(try JSONEncoder().encode(r)))
        #expect(back["structuredContent"] == ["t": 21] && back["isError"] == false)
        #expect(back["_meta"]?["purse/payment"]?["status"] == "settled")
        #expect(back["content"]?.arrayValue?.count == 2 && back["content"]?.arrayValue?.first?["text"] == "{\"t\":21}")
    }

    // MARK: - The one call path (ToolInvoker) for upstream tools

    private static func invoke(_ backend: FakeUpstreamBackend, _ name: String, _ arguments: JSONObject,
                               style: ApprovalStyle = .terminal) async throws -> ToolResult {
        let invoker = ToolInvoker(backend: backend, calls: CallTracker(), logger: Logger(label: "test"))
        return try await invoker.call(name, arguments: arguments, style: style, log: { _, _ in }, progress: nil)
    }

    @Test func anUpstreamToolsArgumentsGoThroughUnvalidatedButForPursesApprovalID() async throws {
        let b = FakeUpstreamBackend()
        // The upstream validates its own arguments: Purse passes even ones its schema would refuse.
        let r = try await Self.invoke(b, "weather__get_weather", ["city": 7, "approval_id": "apr_good"])
        #expect(r.raw?["content"]?.arrayValue?.first?["text"] == "approved")
        #expect(b.calls.map(\.1) == [["city": 7]], "approval_id is Purse's, never the upstream's")
        #expect(b.terminalIDs == ["apr_good"])
    }

    @Test func withoutAnApprovalIDTheCallGetsTheStylesApprover() async throws {
        let b = FakeUpstreamBackend()
        let r = try await Self.invoke(b, "weather__get_weather", ["city": "Oslo"])
        #expect(r.raw?["content"]?.arrayValue?.first?["text"] == "approval.required")
        #expect(b.terminalIDs == ["-"])
    }

    @Test func aToolThatDeclaresApprovalIDKeepsIt() async throws {
        let b = FakeUpstreamBackend()
        _ = try await Self.invoke(b, "weather__own_approval", ["approval_id": "theirs"])
        #expect(b.calls.map(\.1) == [["approval_id": "theirs"]])
        #expect(b.terminalIDs == ["-"], "the tool's own approval_id names no Purse approval")
    }

    @Test func aNameNoUpstreamClaimsIsAnUnknownTool() async {
        await #expect(throws: RPCError.self) { _ = try await Self.invoke(FakeUpstreamBackend(), "other__tool", [:]) }
    }

    @Test func aPassedThroughResultIsNotJudgedByPursesOutputSchemas() async throws {
        // paid_tool_call declares no output schema, and a NAME__TOOL result is the upstream's own.
        #expect(ToolCatalog.declaredOutputSchema("paid_tool_call") == nil)
        #expect(ToolCatalog.inputSchema("paid_tool_call")["properties"]?["approval_id"] != nil)
        #expect(ToolCatalog.payingTools.contains("paid_tool_call") && !ToolCatalog.payingTools.contains("tool_quote"))
    }

    @Test func aResultTheSDKCannotRepresentBecomesAnErrorThatCarriesIt() throws {
        let raw: JSONValue = ["content": [["type": "hologram", "data": 1]]]
        let r = UpstreamToolRoute.callResult(raw: raw)
        #expect(r.isError == true && r.content.count == 2)
    }
}

@Suite struct UpstreamToolRouteDirectTests {
    /// The direct build and the SDK's decoder give the same result for the common shapes.
    @Test(arguments: [
        #"{"content":[{"type":"text","text":"pong"}],"isError":false}"#,
        #"{"content":[{"type":"text","text":"{}"},{"type":"image","data":"AAAA","mimeType":"image/png"}],"structuredContent":{"a":[1,2.5,"x",null,true]},"_meta":{"purse/payment":{"amount":"0.01","status":"settled"}}}"#,
        #"{"content":[]}"#,
    ])
    func directEqualsDecoded(text: String) throws {
        let raw = try JSONValue.parse(Array(text.utf8))
        let direct = try #require(UpstreamToolRoute.directResult(raw))
        let decoded = try JSONDecoder().decode(CallTool.Result.self, from: Data(text.utf8))
        #expect(direct == decoded)
    }

    @Test(arguments: [
        #"{"content":[{"type":"text","text":"a","annotations":{"priority":1}}]}"#,
        #"{"content":[{"type":"resource_link","uri":"file:///x","name":"x"}]}"#,
        #"{"content":[{"type":"text","text":"a"}],"isError":"no"}"#,
        #"{"content":[{"type":"text","text":"a"}],"other":1}"#,
    ])
    func otherShapesTakeTheDecoder(text: String) throws {
        #expect(UpstreamToolRoute.directResult(try JSONValue.parse(Array(text.utf8))) == nil)
    }
}
