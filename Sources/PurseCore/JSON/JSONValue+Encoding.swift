extension JSONValue {
    /// Encodes as compact JSON (no insignificant white space), keeping key order and number text.
    public func encoded() -> String {
        var out = [UInt8]()
        out.reserveCapacity(256)
        write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Encodes as compact JSON UTF-8 bytes.
    public func encodedBytes() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(256)
        write(into: &out)
        return out
    }

    /// Encodes with two-space indentation, for humans.
    public func prettyEncoded() -> String {
        var out = [UInt8]()
        writePretty(into: &out, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the compact encoding to `out`.
    public func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case let .bool(b): out.append(contentsOf: b ? "true".utf8 : "false".utf8)
        case let .number(n): out.append(contentsOf: n.utf8)
        case let .string(s): Self.writeString(s, into: &out)
        case let .array(a):
            out.append(0x5b)
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(0x2c) }
                v.write(into: &out)
            }
            out.append(0x5d)
        case let .object(o):
            out.append(0x7b)
            for (i, m) in o.members.enumerated() {
                if i > 0 { out.append(0x2c) }
                Self.writeString(m.key, into: &out)
                out.append(0x3a)
                m.value.write(into: &out)
            }
            out.append(0x7d)
        }
    }

    private func writePretty(into out: inout [UInt8], indent: Int) {
        func newline(_ level: Int) {
            out.append(0x0a)
            out.append(contentsOf: [UInt8](repeating: 0x20, count: level * 2))
        }
        switch self {
        case let .array(a) where !a.isEmpty:
            out.append(0x5b)
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(0x2c) }
                newline(indent + 1)
                v.writePretty(into: &out, indent: indent + 1)
            }
            newline(indent)
            out.append(0x5d)
        case let .object(o) where !o.isEmpty:
            out.append(0x7b)
            for (i, m) in o.members.enumerated() {
                if i > 0 { out.append(0x2c) }
                newline(indent + 1)
                Self.writeString(m.key, into: &out)
                out.append(contentsOf: [0x3a, 0x20])
                m.value.writePretty(into: &out, indent: indent + 1)
            }
            newline(indent)
            out.append(0x7d)
        default:
            write(into: &out)
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `s` as a JSON string literal.
    ///
    /// Runs of bytes that need no escape are copied whole: this writer encodes every MCP reply
    /// (kilobytes of JSON, most of it one escaped JSON text), and appending byte by byte, with an
    /// array literal per escape, was a visible share of the MCP server's CPU per tool call.
    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { bytes in
            var run = 0  // start of the bytes not yet copied
            for i in bytes.indices {
                let c = bytes[i]
                guard c < 0x20 || c == 0x22 || c == 0x5c else { continue }
                if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i])) }
                run = i + 1
                out.append(0x5c)
                switch c {
                case 0x22, 0x5c: out.append(c)
                case 0x0a: out.append(0x6e)
                case 0x0d: out.append(0x72)
                case 0x09: out.append(0x74)
                case 0x08: out.append(0x62)
                case 0x0c: out.append(0x66)
                default:
                    out.append(0x75)
                    out.append(0x30)
                    out.append(0x30)
                    out.append(hexDigits[Int(c >> 4)])
                    out.append(hexDigits[Int(c & 0xf)])
                }
            }
            if run < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...])) }
        }
        out.append(0x22)
    }
}
