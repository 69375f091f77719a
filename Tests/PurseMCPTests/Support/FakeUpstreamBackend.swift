import Foundation
import PurseCore
import Wallet
@testable import PurseMCP

/// A backend with configured upstream tools, for the routing of `NAME__TOOL` next to Purse's own
/// tools. A call asks its approver about `PlanFixture.plan()` and answers the decision as text
/// (`approved`, or the refusal's code), so a test sees which approver the call path built.
final class FakeUpstreamBackend: PurseToolBackend, UpstreamToolBackend, @unchecked Sendable {
    static let definition: JSONObject = [
        "name": "weather__get_weather", "title": "Weather",
        "description": "[weather] Costs 0.01 USDC per call (Purse pays within your budget). Current weather.",
        "inputSchema": ["type": "object", "properties": ["city": ["type": "string", "minLength": 1]], "required": ["city"]],
        "outputSchema": ["type": "object", "properties": ["temperature": ["type": "number"]]],
        "annotations": ["readOnlyHint": true, "idempotentHint": true],
    ]

    private let lock = NSLock()
    private var _calls: [(String, JSONObject)] = []
    private var _terminalIDs: [String] = []

    /// The upstream calls made: listed name and the arguments forwarded.
    var calls: [(String, JSONObject)] { lock.withLock { _calls } }
    /// Each terminal approver built: its approval id, or "-" for none.
    var terminalIDs: [String] { lock.withLock { _terminalIDs } }

    func callTool(_ name: String, arguments: JSONObject, context: ToolCallContext) async -> ToolResult {
        .failure(PurseError("test", "not used"))
    }
    func readResource(_ uri: String) async -> JSONValue? { nil }
    func clientConnected(name: String, version: String) async {}
    func terminalApprover(approvalID: String?) -> any PaymentApprover {
        lock.withLock { _terminalIDs.append(approvalID ?? "-") }
        return FakeBackend.FakeTerminal(approvalID: approvalID)
    }

    var hasUpstreams: Bool { true }
    func upstreamTools() -> [JSONObject] { [Self.definition, ["name": "broken__tool"]] }
    func isUpstreamTool(_ name: String) -> Bool { name.hasPrefix("weather__") }
    func upstreamToolDeclares(_ name: String, argument: String) -> Bool { name == "weather__own_approval" && argument == "approval_id" }
    func callUpstreamTool(_ name: String, arguments: JSONObject, context: ToolCallContext) async -> ToolResult {
        lock.withLock { _calls.append((name, arguments)) }
        let decision = await context.approver.approve(PlanFixture.plan(), budgetLeft: "0.95")?.code ?? "approved"
        return .passthrough(["content": [["type": "text", "text": .string(decision)]], "isError": false], summary: decision, isError: false)
    }
    func onUpstreamToolsChanged(_ handler: @escaping @Sendable () -> Void) {}
}
