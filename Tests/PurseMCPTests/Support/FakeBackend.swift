import Foundation
import PurseCore
import Wallet
@testable import PurseMCP

/// A scripted wallet: `paid_fetch` behaves according to the URL's path.
/// - `/slow`: takes 500 ms. `/held`: waits until the test calls `releaseHeld()`. `/big`: a ~300 KB
///   body. `/log`: logs at debug and at warning.
/// - `/approve`: asks the call's approver about `PlanFixture.plan()` and returns the answer as the
///   body: `approved`, or the refusal's code (`approval.declined`, `approval.required`…).
final class FakeBackend: PurseToolBackend, @unchecked Sendable {
    private let lock = NSLock()
    private var _calls: [(String, JSONObject)] = []
    private var _events: [String] = []
    private var _clients: [String] = []

    var calls: [(String, JSONObject)] { lock.withLock { _calls } }
    var events: [String] { lock.withLock { _events } }
    var clients: [String] { lock.withLock { _clients } }

    func record(_ event: String) { lock.withLock { _events.append(event) } }

    /// What `/held` calls wait for.
    private let held = Latch()

    /// Lets every `/held` call (waiting or to come) finish.
    func releaseHeld() { held.fire() }

    static let budget: JSONValue = ["session": ["spent": "0.05", "remaining": "0.95"], "daily": ["spent": "0.05", "remaining": "4.95"]]

    static func fetchResult(body: String, paid: Bool = false) -> JSONValue {
        var o: JSONObject = [
            "outcome": .string(paid ? "paid" : "not_required"), "status": 200, "headers": ["content-type": "text/plain"], "contentType": "text/plain",
            "body": .string(body), "bodyEncoding": "text", "truncated": false, "paid": .bool(paid),
        ]
        if paid {
            o["payment"] = [
                "amount": "0.05", "asset": "0x036CbD53842c5426634e7929541eC2318f3dCF7e", "symbol": "USDC",
                "network": "eip155:84532", "payTo": "0x1111111111111111111111111111111111111111",
                "transaction": "0xabc", "payer": "0x2222222222222222222222222222222222222222", "x402Version": 1,
            ]
        }
        o["budget"] = budget
        return .object(o)
    }

    func callTool(_ name: String, arguments: JSONObject, context: ToolCallContext) async -> ToolResult {
        lock.withLock { _calls.append((name, arguments)) }
        let url = arguments["url"]?.stringValue ?? ""
        record("call:start:\(url)")
        defer { record("call:end:\(url)") }
        switch name {
        case "paid_fetch":
            if url.hasSuffix("/slow") {
                try? await Task.sleep(for: .milliseconds(500))
                record("call:slept:cancelled=\(Task.isCancelled)")
                return ToolResult(structured: Self.fetchResult(body: "slow", paid: true), summary: "Paid 0.05 USDC; HTTP 200")
            }
            if url.hasSuffix("/held") {
                await held.wait()
                record("call:held:cancelled=\(Task.isCancelled)")
                return ToolResult(structured: Self.fetchResult(body: "held", paid: true), summary: "Paid 0.05 USDC; HTTP 200")
            }
            if url.hasSuffix("/big") {
                let body = String(repeating: "x", count: 300_000)
                return ToolResult(structured: Self.fetchResult(body: body), summary: "HTTP 200, 300000 bytes")
            }
            if url.hasSuffix("/log") {
                context.log(.debug, "debug-line")
                context.log(.info, "info-line")
                context.log(.warning, "warning-line")
                return ToolResult(structured: Self.fetchResult(body: "logged"), summary: "HTTP 200")
            }
            if url.hasSuffix("/approve") {
                let refusal = await context.approver.approve(PlanFixture.plan(), budgetLeft: "0.95")
                let decision = refusal?.code ?? "approved"
                return ToolResult(structured: Self.fetchResult(body: decision), summary: "decision \(decision)")
            }
            if url.hasSuffix("/fail") {
                return ToolResult.failure(PurseError("budget.session_exceeded", "Session budget exceeded."))
            }
            return ToolResult(structured: Self.fetchResult(body: "hello", paid: true), summary: "Paid 0.05 USDC; HTTP 200")
        default:
            return ToolResult(structured: ["address": "0xabc", "networks": ["eip155:84532"]], summary: "ok")
        }
    }

    func readResource(_ uri: String) async -> JSONValue? {
        switch uri {
        case "purse://budget": return ["symbol": "USDC", "daily": ["spent": "0.05", "remaining": "4.95"]]
        case "purse://spend-log":  // slow, and not a tool call: only the transport's count keeps it alive
            try? await Task.sleep(for: .milliseconds(500))
            return ["payments": [], "totals": [:]]
        default: return nil
        }
    }

    func clientConnected(name: String, version: String) async {
        lock.withLock { _clients.append("\(name) \(version)") }
    }

    /// The terminal style, faked: files nothing, answers `approval.required` (or, with an id,
    /// `approved` for `apr_good` and `approval.unknown` otherwise).
    func terminalApprover(approvalID: String?) -> any PaymentApprover {
        record("terminal:\(approvalID ?? "-")")
        return FakeTerminal(approvalID: approvalID)
    }

    struct FakeTerminal: PaymentApprover {
        let approvalID: String?
        func approve(_ plan: PaymentPlan, budgetLeft: String) async -> FlowRefusal? {
            switch approvalID {
            case nil: FlowRefusal(code: "approval.required", message: "ask the human")
            case "apr_good": nil
            default: FlowRefusal(code: "approval.unknown", message: "no such approval")
            }
        }
    }
}
