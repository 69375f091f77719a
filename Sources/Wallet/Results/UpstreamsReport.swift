import Foundation
import MCPUpstream
import PurseCore
import WalletConfig

/// What `purse upstreams` shows: each configured upstream, its state, the tools listed for it
/// (with the price each declares at list time) and the tools refused, and why.
public struct UpstreamsReport: Sendable {
    /// The upstreams, in configuration order.
    public let snapshots: [UpstreamSnapshot]
    /// The tools listed now.
    public let listed: [ListedTool]
    /// The tools not listed, with reasons.
    public let refused: [RefusedTool]

    /// Takes a report of `directory` as it stands.
    public init(directory: UpstreamDirectory) {
        snapshots = directory.snapshots()
        (listed, refused) = directory.listing()
    }

    /// Whether every upstream is ready.
    public var allReady: Bool { snapshots.allSatisfy { $0.state == .ready } }

    /// `{"upstreams": [{name, transport, target, state, error, restarts, pid, server, tools, refused}]}`.
    public func json() -> JSONValue {
        .object(["upstreams": .array(snapshots.map { s in
            var o: JSONObject = [
                "name": .string(s.name),
                "transport": .string(s.transportName),
                "target": .string(s.target),
                "state": .string(s.state.rawValue),
                "error": s.lastError.map(JSONValue.string) ?? .null,
                "restarts": .integer(s.restarts),
                "pid": s.pid.map { .integer($0) } ?? .null,
            ]
            o["server"] = s.server.map { ["name": .string($0.name), "version": .string($0.version), "protocolVersion": .string($0.protocolVersion)] } ?? .null
            o["tools"] = .array(listed.filter { $0.upstream == s.name }.map { t in
                [
                    "name": .string(t.name),
                    "tool": .string(t.tool.name),
                    "title": t.tool.title.map(JSONValue.string) ?? .null,
                    "price": t.price?.json ?? .null,
                    "paid": .bool(t.price != nil || DeclaredPrice.declaresPayment(t.tool)),
                ]
            })
            o["refused"] = .array(refused.filter { $0.upstream == s.name }.map { ["tool": .string($0.tool), "reason": .string($0.reason)] })
            return .object(o)
        })])
    }

    /// One block per upstream: its line, then one line per tool.
    public func table() -> String {
        guard !snapshots.isEmpty else { return "No upstreams configured (add \"upstreams\" to the config file)." }
        var lines: [String] = []
        for s in snapshots {
            var head = "\(s.name)  \(s.transportName)  \(s.state.rawValue)  \(s.target)"
            if let id = s.server { head += "  (\(id.name) \(id.version), MCP \(id.protocolVersion))" }
            lines.append(head)
            if let e = s.lastError { lines.append("  error: \(e)") }
            let tools = listed.filter { $0.upstream == s.name }
            let width = tools.map(\.name.count).max() ?? 0
            for t in tools {
                let price = t.price?.text ?? (DeclaredPrice.declaresPayment(t.tool) ? "paid (price asked at call time)" : "no price declared")
                lines.append("  \(t.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(price)")
            }
            for r in refused where r.upstream == s.name { lines.append("  not listed: \(r.tool): \(r.reason)") }
        }
        return lines.joined(separator: "\n")
    }
}
