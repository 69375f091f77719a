import Foundation
import MCP
import PurseCore
import Testing
import Wallet
@testable import PurseMCP

/// A backend with one upstream tool, for the routing of `NAME__TOOL` next to Purse's own tools.
final class FakeUpstreamBackend: PurseToolBackend, UpstreamToolBackend, @unchecked Sendable {
    static let definition: JSONObject = [
        "name": "weather__get_weather", "title": "Weather",
        "description": "[weather] Costs 0.01 USDC per call (Purse pays within your budget). Current weather.",
        "inputSchema": ["type": "object", "properties": ["city": ["type": "string", "minLength": 1]], "required": ["city"]],
        "outputSchema": ["type": "object", "properties": ["temperature": ["type": "number"]]],
        "annotations": ["readOnlyHint": true, "idempotentHint": true],
    ]

    func callTool(_ name: String, arguments: JSONObject, context: ToolCallContext) async -> ToolResult {
        .failure(PurseError("test", "not used"))
    }
    func readResource(_ uri: String) async -> JSONValue? { nil }
    func clientConnected(name: String, version: String) async {}
    func upstreamTools() -> [JSONObject] { [Self.definition, ["name": "broken__tool"]] }
    func isUpstreamTool(_ name: String) -> Bool { name.hasPrefix("weather__") }
    func callUpstreamTool(_ name: String, arguments: JSONObject, context: ToolCallContext) async -> ToolResult {
        .passthrough(["content": [["type": "text", "text": "sunny"]], "isError": false], summary: "ok", isError: false)
    }
    func onUpstreamToolsChanged(_ handler: @escaping @Sendable () -> Void) {}
}

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
