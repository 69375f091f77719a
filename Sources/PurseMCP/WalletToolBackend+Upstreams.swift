// PurseMCP: the MCP face of the Purse wallet.
import PurseCore
import Wallet

/// Upstream MCP tools through the wallet's `UpstreamGateway`: the configured upstreams' tools
/// (`NAME__TOOL`), `paid_tool_call` and `tool_quote`. Paying goes through the one driver with
/// the same approver as `paid_fetch` (the call's context).
extension WalletToolBackend: UpstreamToolBackend {
    public func upstreamTools() -> [JSONObject] {
        upstreams?.directory.listing().tools.map(\.definition) ?? []
    }

    public var hasUpstreams: Bool { !(upstreams?.directory.isEmpty ?? true) }

    public func upstreamToolDeclares(_ name: String, argument: String) -> Bool {
        guard let (_, tool) = upstreams?.directory.resolve(name) else { return false }
        return tool.inputSchema["properties"]?[argument] != nil
    }

    public func isUpstreamTool(_ name: String) -> Bool {
        upstreams?.directory.claims(name) ?? false
    }

    public func callUpstreamTool(_ name: String, arguments: JSONObject, context: ToolCallContext) async -> ToolResult {
        guard let upstreams, let result = await upstreams.call(listedName: name, arguments: arguments, approver: context.approver) else {
            return .failure(Self.unavailable(name, directory: upstreams?.directory))
        }
        context.log(result.isError ? .warning : .info, "\(name): \(result.outcomeName)\(result.error.map { " (\($0.code))" } ?? "")")
        return .passthrough(result.mcpResult(), summary: result.summary, isError: result.isError)
    }

    public func onUpstreamToolsChanged(_ handler: @escaping @Sendable () -> Void) {
        upstreams?.directory.onToolsChanged(handler)
    }

    func paidToolCall(_ a: JSONObject, context: ToolCallContext) async -> ToolResult {
        guard let upstreams else { return .failure(PurseError("upstream.unavailable", "this server was started without MCP upstream support")) }
        let cap: Micros?
        do { cap = try MaxPrice.parse(a["max_price"]?.stringValue, field: "max_price") } catch { return .failure(error) }
        let url = a["server_url"]?.stringValue ?? ""
        let tool = a["tool"]?.stringValue ?? ""
        let result = await upstreams.callAdHoc(serverURL: url, tool: tool, arguments: a["arguments"]?.objectValue ?? JSONObject(),
                                               maxPrice: cap, approver: context.approver)
        context.log(result.isError ? .warning : .info, "paid_tool_call \(url) \(tool): \(result.outcomeName)")
        return .passthrough(result.mcpResult(), summary: result.summary, isError: result.isError)
    }

    func toolQuote(_ a: JSONObject) async -> ToolResult {
        guard let upstreams else { return .failure(PurseError("upstream.unavailable", "this server was started without MCP upstream support")) }
        let q = await upstreams.quoteAdHoc(serverURL: a["server_url"]?.stringValue ?? "", tool: a["tool"]?.stringValue ?? "",
                                           arguments: a["arguments"]?.objectValue ?? JSONObject(), maxPrice: nil)
        if q.failed, let refusal = q.refusal { return .failure(refusal) }
        return ToolResult(structured: q.json(), summary: q.summary, isError: false)
    }

    /// Why a `NAME__TOOL` call has no tool behind it: the upstream is not connected now (and why:
    /// `upstream.not_connected`), or it lists no such tool (`upstream.unknown_tool`).
    static func unavailable(_ name: String, directory: UpstreamDirectory?) -> PurseError {
        guard let (upstream, tool) = UpstreamToolName.split(name),
              let snapshot = directory?.snapshots().first(where: { $0.name == upstream })
        else { return PurseError("upstream.unknown_tool", "unknown tool \(name)") }
        switch snapshot.state {
        case .ready: return PurseError("upstream.unknown_tool", "upstream \(upstream) lists no tool \(tool) now")
        case .starting: return PurseError("upstream.not_connected", "upstream \(upstream) is still starting; try again shortly")
        case .down:
            return PurseError("upstream.not_connected", "upstream \(upstream) is not available\(snapshot.lastError.map { ": \($0)" } ?? ""); Purse restarts it")
        case .stopped: return PurseError("upstream.not_connected", "upstream \(upstream) is stopped")
        }
    }
}
