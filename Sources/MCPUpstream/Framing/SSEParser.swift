// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.

/// Reads a `text/event-stream` body (a Streamable HTTP answer) into its events' data, per the
/// WHATWG rules a JSON-RPC client needs: `data:` lines joined with newlines, an event ended by a
/// blank line, comments and other fields ignored, CR, LF and CRLF line ends all accepted.
public enum SSEParser {
    /// One event: its type (`message` when none is given) and its data.
    public struct Event: Sendable, Equatable {
        /// The `event:` field, or `message`.
        public let type: String
        /// The `data:` lines joined with `\n`.
        public let data: String

        /// Creates an event.
        public init(type: String, data: String) {
            self.type = type
            self.data = data
        }
    }

    /// Every event in `body`; a last event without its blank line is still returned.
    public static func events(_ body: [UInt8]) -> [Event] {
        var out = [Event]()
        var data: [String] = []
        var type = ""
        var hasData = false
        func dispatch() {
            if hasData { out.append(Event(type: type.isEmpty ? "message" : type, data: data.joined(separator: "\n"))) }
            data = []
            type = ""
            hasData = false
        }
        var i = 0
        var start = 0
        func line(_ bytes: ArraySlice<UInt8>) {
            if bytes.isEmpty { dispatch(); return }
            if bytes.first == UInt8(ascii: ":") { return }
            let colon = bytes.firstIndex(of: UInt8(ascii: ":"))
            let field = String(decoding: bytes[bytes.startIndex..<(colon ?? bytes.endIndex)], as: UTF8.self)
            var value = colon.map { bytes[bytes.index(after: $0)...] } ?? []
            if value.first == 0x20 { value = value.dropFirst() }
            switch field {
            case "data":
                data.append(String(decoding: value, as: UTF8.self))
                hasData = true
            case "event": type = String(decoding: value, as: UTF8.self)
            default: break
            }
        }
        while i < body.count {
            let c = body[i]
            if c == 0x0A || c == 0x0D {
                line(body[start..<i])
                if c == 0x0D, i + 1 < body.count, body[i + 1] == 0x0A { i += 1 }
                start = i + 1
            }
            i += 1
        }
        if start < body.count { line(body[start..<body.count]) }
        dispatch()
        return out
    }
}
