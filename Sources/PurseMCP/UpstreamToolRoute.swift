// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import MCP
import PurseCore

/// How the server serves upstream tools next to its own: their `tools/list` entries as SDK
/// tools, their results as SDK results, and `notifications/tools/list_changed`.
enum UpstreamToolRoute {
    /// Purse's own tools followed by the upstream tools listed now. An entry the SDK cannot
    /// represent is left out (and logged by the caller's logger).
    static func tools(_ backend: any PurseToolBackend, onSkip: (String) -> Void = { _ in }) -> [MCP.Tool] {
        guard let upstream = backend as? any UpstreamToolBackend else { return ToolCatalog.tools }
        var tools = ToolCatalog.tools
        let decoder = JSONDecoder()
        for definition in upstream.upstreamTools() {
            do { tools.append(try decoder.decode(MCP.Tool.self, from: Data(JSONValue.object(definition).encodedBytes()))) } catch {
                onSkip("upstream tool \(definition["name"]?.stringValue ?? "?") cannot be listed: \(error)")
            }
        }
        return tools
    }

    /// Whether `backend` has configured upstreams (whose tools can come and go).
    static func servesUpstreams(_ backend: any PurseToolBackend) -> Bool {
        (backend as? any UpstreamToolBackend)?.hasUpstreams ?? false
    }

    /// The backend when `name` is an upstream tool it serves (never one of Purse's own names).
    static func upstream(_ backend: any PurseToolBackend, for name: String) -> (any UpstreamToolBackend)? {
        guard !ToolCatalog.names.contains(name), let upstream = backend as? any UpstreamToolBackend, upstream.isUpstreamTool(name) else { return nil }
        return upstream
    }

    /// An SDK result from a passed-through `tools/call` result; if the SDK cannot represent it,
    /// an error result that says so (with the result as JSON text).
    static func callResult(raw: JSONValue) -> CallTool.Result {
        if let direct = directResult(raw) { return direct }
        do { return try JSONDecoder().decode(CallTool.Result.self, from: Data(raw.encodedBytes())) } catch {
            return CallTool.Result(
                content: [.text(text: "The upstream's result could not be represented (\(error)); it follows as JSON.", annotations: nil, _meta: nil),
                          .text(text: raw.encoded(), annotations: nil, _meta: nil)],
                structuredContent: MCP.Value?.none, isError: true)
        }
    }

    /// The common shapes built directly (text, image and audio blocks without annotations),
    /// without a JSON round trip through the SDK's decoder, which compiles a regular expression
    /// for every string it reads as a `Value` (its data-URL check): this is the hot path of a
    /// gateway. Anything else returns nil and takes the decoder.
    static func directResult(_ raw: JSONValue) -> CallTool.Result? {
        guard case let .object(o) = raw, case let .array(blocks)? = o["content"] else { return nil }
        var content: [MCP.Tool.Content] = []
        content.reserveCapacity(blocks.count)
        for block in blocks {
            guard case let .object(b) = block, b["annotations"] == nil, b["_meta"] == nil else { return nil }
            switch b["type"]?.stringValue {
            case "text":
                guard let text = b["text"]?.stringValue, b.members.count == 2 else { return nil }
                content.append(.text(text: text, annotations: nil, _meta: nil))
            case "image", "audio":
                guard let data = b["data"]?.stringValue, let mime = b["mimeType"]?.stringValue, b.members.count == 3 else { return nil }
                content.append(b["type"] == "image" ? .image(data: data, mimeType: mime, annotations: nil, _meta: nil)
                                                    : .audio(data: data, mimeType: mime, annotations: nil, _meta: nil))
            default: return nil
            }
        }
        var isError: Bool?
        if let e = o["isError"] {
            guard case let .bool(flag) = e else { return nil }
            isError = flag
        }
        var meta: Metadata?
        if let m = o["_meta"] {
            guard case let .object(fields) = m else { return nil }
            var d: [String: MCP.Value] = [:]
            for f in fields.members { d[f.key] = f.value.mcpValue }
            meta = Metadata(additionalFields: d)
        }
        let known: Set<String> = ["content", "structuredContent", "isError", "_meta"]
        guard o.keys.allSatisfy(known.contains) else { return nil }
        return CallTool.Result(content: content, structuredContent: o["structuredContent"]?.mcpValue, isError: isError, _meta: meta)
    }

    /// Posts `notifications/tools/list_changed` on `transport`, once the client has initialized.
    static func postToolsChanged(session: ClientSession, transport: LineTransport) {
        guard session.isConnected else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(ToolListChangedNotification.message()) else { return }
        transport.post(data)
    }
}
