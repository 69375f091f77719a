// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import MCP
import PurseCore

extension JSONValue {
    /// The SDK's `MCP.Value` for this JSON: integers that fit `Int` become `.int`, other numbers
    /// `.double`; strings (including decimal amounts) stay strings; key order is lost.
    var mcpValue: MCP.Value {
        switch self {
        case .null: return .null
        case let .bool(b): return .bool(b)
        case let .number(text):
            if let i = int64Value, let int = Int(exactly: i) { return .int(int) }
            return .double(Double(text) ?? 0)
        case let .string(s): return .string(s)
        case let .array(a): return .array(a.map(\.mcpValue))
        case let .object(o):
            var d: [String: MCP.Value] = [:]
            for m in o.members { d[m.key] = m.value.mcpValue }
            return .object(d)
        }
    }

    /// Converts the SDK's `MCP.Value` to JSON. Object keys are sorted (the SDK's dictionaries have
    /// no order); `.data` (the SDK turns `data:` URL strings into it) becomes the data URL
    /// string again; non-finite doubles become null.
    init(_ value: MCP.Value) {
        switch value {
        case .null: self = .null
        case let .bool(b): self = .bool(b)
        case let .int(i): self = .number(String(i))
        case let .double(d): self = d.isFinite ? .number("\(d)") : .null  // Swift prints `1e-07`: valid JSON
        case let .string(s): self = .string(s)
        case let .data(mimeType, data): self = .string(data.dataURLEncoded(mimeType: mimeType))
        case let .array(a): self = .array(a.map { JSONValue($0) })
        case let .object(o):
            self = .object(JSONObject(o.keys.sorted().map { JSONMember($0, JSONValue(o[$0]!)) }))
        }
    }
}
