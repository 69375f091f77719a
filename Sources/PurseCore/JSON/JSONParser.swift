/// A strict RFC 8259 JSON parser with depth and size limits, producing `JSONValue`.
///
/// Strict means: no trailing commas, no comments, no leading zeros, no lone surrogates, no
/// invalid UTF-8, no duplicate keys in one object, nothing but white space after the value.
public struct JSONParser {
    /// The deepest nesting accepted.
    public var maxDepth: Int
    /// The largest document accepted, in bytes.
    public var maxBytes: Int

    /// Creates a parser with the given limits (defaults: depth 64, 8 MiB).
    public init(maxDepth: Int = 64, maxBytes: Int = 8 << 20) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }

    /// Parses a whole document.
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONError) -> JSONValue {
        guard bytes.count <= maxBytes else { throw JSONError(.tooLarge, at: 0) }
        return try Array(bytes).withUnsafeBufferPointer { (buf) throws(JSONError) -> JSONValue in
            var cursor = Cursor(buf: buf, maxDepth: maxDepth)
            cursor.skipSpace()
            let value = try cursor.value(depth: 0)
            cursor.skipSpace()
            guard cursor.pos == buf.count else { throw JSONError(.trailingData, at: cursor.pos) }
            return value
        }
    }

    /// Parses a whole document given as text.
    public func parse(_ text: String) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

extension JSONValue {
    /// Parses a document with the default limits.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONError) -> JSONValue {
        try JSONParser().parse(bytes)
    }

    /// Parses a document given as text with the default limits.
    public static func parse(_ text: String) throws(JSONError) -> JSONValue {
        try JSONParser().parse(Array(text.utf8))
    }
}

/// Why a JSON document was refused.
public struct JSONError: CodedError, Equatable {
    /// The kinds of JSON failure.
    public enum Kind: String, Sendable {
        case unexpectedEnd = "json.unexpected_end"
        case unexpectedCharacter = "json.unexpected_character"
        case badNumber = "json.bad_number"
        case badString = "json.bad_string"
        case badEscape = "json.bad_escape"
        case badUTF8 = "json.bad_utf8"
        case tooDeep = "json.too_deep"
        case tooLarge = "json.too_large"
        case duplicateKey = "json.duplicate_key"
        case trailingData = "json.trailing_data"
    }

    /// What went wrong.
    public let kind: Kind
    /// The byte offset where it went wrong.
    public let offset: Int

    init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var code: String { kind.rawValue }
    public var message: String {
        let what: String = switch kind {
        case .unexpectedEnd: "the JSON ends too early"
        case .unexpectedCharacter: "unexpected character in JSON"
        case .badNumber: "malformed JSON number"
        case .badString: "malformed JSON string"
        case .badEscape: "bad escape in JSON string"
        case .badUTF8: "JSON is not valid UTF-8"
        case .tooDeep: "JSON is nested too deeply"
        case .tooLarge: "JSON document is too large"
        case .duplicateKey: "JSON object repeats a key"
        case .trailingData: "unexpected data after the JSON value"
        }
        return "\(what) (at byte \(offset))"
    }
}

private struct Cursor {
    let buf: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var pos = 0

    init(buf: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.buf = buf
        self.maxDepth = maxDepth
    }

    @inline(__always) mutating func skipSpace() {
        while pos < buf.count {
            let c = buf[pos]
            if c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09 { pos += 1 } else { return }
        }
    }

    @inline(__always) func peek() throws(JSONError) -> UInt8 {
        guard pos < buf.count else { throw JSONError(.unexpectedEnd, at: pos) }
        return buf[pos]
    }

    mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONError) -> JSONValue {
        let n = word.utf8CodeUnitCount
        guard pos + n <= buf.count else { throw JSONError(.unexpectedEnd, at: pos) }
        let w = word.utf8Start
        for i in 0..<n where buf[pos + i] != w[i] { throw JSONError(.unexpectedCharacter, at: pos + i) }
        pos += n
        return value
    }

    mutating func value(depth: Int) throws(JSONError) -> JSONValue {
        switch try peek() {
        case 0x7b: return try object(depth: depth + 1)
        case 0x5b: return try array(depth: depth + 1)
        case 0x22: return .string(try string())
        case 0x74: return try literal("true", .bool(true))
        case 0x66: return try literal("false", .bool(false))
        case 0x6e: return try literal("null", .null)
        case 0x2d, 0x30...0x39: return try number()
        default: throw JSONError(.unexpectedCharacter, at: pos)
        }
    }

    mutating func object(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= maxDepth else { throw JSONError(.tooDeep, at: pos) }
        pos += 1
        var members = [JSONMember]()
        // Duplicate keys: a scan of the members so far while the object is small (nearly every
        // object is, and hashing each key cost more than the rest of the parse), a set beyond.
        var seen: Set<String>?
        skipSpace()
        if try peek() == 0x7d { pos += 1; return .object(JSONObject()) }
        while true {
            skipSpace()
            guard try peek() == 0x22 else { throw JSONError(.unexpectedCharacter, at: pos) }
            let keyStart = pos
            let key = try string()
            if seen == nil, members.count >= 16 { seen = Set(members.map(\.key)) }
            if seen != nil {
                guard seen!.insert(key).inserted else { throw JSONError(.duplicateKey, at: keyStart) }
            } else {
                for m in members where m.key == key { throw JSONError(.duplicateKey, at: keyStart) }
            }
            skipSpace()
            guard try peek() == 0x3a else { throw JSONError(.unexpectedCharacter, at: pos) }
            pos += 1
            skipSpace()
            members.append(JSONMember(key, try value(depth: depth)))
            skipSpace()
            let c = try peek()
            pos += 1
            if c == 0x7d { break }
            guard c == 0x2c else { throw JSONError(.unexpectedCharacter, at: pos - 1) }
        }
        return .object(JSONObject(distinctMembers: members))
    }

    mutating func array(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= maxDepth else { throw JSONError(.tooDeep, at: pos) }
        pos += 1
        var items = [JSONValue]()
        skipSpace()
        if try peek() == 0x5d { pos += 1; return .array([]) }
        while true {
            skipSpace()
            items.append(try value(depth: depth))
            skipSpace()
            let c = try peek()
            pos += 1
            if c == 0x5d { break }
            guard c == 0x2c else { throw JSONError(.unexpectedCharacter, at: pos - 1) }
        }
        return .array(items)
    }

    mutating func number() throws(JSONError) -> JSONValue {
        let start = pos
        func digits(_ c: inout Cursor) -> Int {
            let s = c.pos
            while c.pos < c.buf.count, c.buf[c.pos] >= 0x30, c.buf[c.pos] <= 0x39 { c.pos += 1 }
            return c.pos - s
        }
        if buf[pos] == 0x2d { pos += 1 }
        guard pos < buf.count else { throw JSONError(.badNumber, at: start) }
        if buf[pos] == 0x30 {
            pos += 1
        } else {
            guard digits(&self) > 0 else { throw JSONError(.badNumber, at: start) }
        }
        if pos < buf.count, buf[pos] == 0x2e {
            pos += 1
            guard digits(&self) > 0 else { throw JSONError(.badNumber, at: start) }
        }
        if pos < buf.count, buf[pos] == 0x65 || buf[pos] == 0x45 {
            pos += 1
            if pos < buf.count, buf[pos] == 0x2b || buf[pos] == 0x2d { pos += 1 }
            guard digits(&self) > 0 else { throw JSONError(.badNumber, at: start) }
        }
        guard pos - start <= 400 else { throw JSONError(.badNumber, at: start) }
        return .number(String(decoding: UnsafeBufferPointer(rebasing: buf[start..<pos]), as: UTF8.self))
    }

    mutating func hex4() throws(JSONError) -> UInt32 {
        guard pos + 4 <= buf.count else { throw JSONError(.unexpectedEnd, at: pos) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = buf[pos]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            default: throw JSONError(.badEscape, at: pos)
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    mutating func string() throws(JSONError) -> String {
        let start = pos
        pos += 1
        // Fast path: no escapes. All-ASCII text (nearly every string) needs no UTF-8 validation.
        var scan = pos
        var high: UInt8 = 0
        while scan < buf.count {
            let c = buf[scan]
            if c == 0x22 || c == 0x5c || c < 0x20 { break }
            high |= c
            scan += 1
        }
        if scan < buf.count, buf[scan] == 0x22 {
            let slice = UnsafeBufferPointer(rebasing: buf[pos..<scan])
            let text: String
            if high < 0x80 {
                text = String(decoding: slice, as: UTF8.self)
            } else {
                guard let s = String(validating: slice, as: UTF8.self) else { throw JSONError(.badUTF8, at: pos) }
                text = s
            }
            pos = scan + 1
            return text
        }
        var out = [UInt8]()
        out.reserveCapacity(scan - pos + 16)
        while true {
            guard pos < buf.count else { throw JSONError(.unexpectedEnd, at: start) }
            let c = buf[pos]
            if c == 0x22 { pos += 1; break }
            if c < 0x20 { throw JSONError(.badString, at: pos) }
            if c != 0x5c { out.append(c); pos += 1; continue }
            pos += 1
            guard pos < buf.count else { throw JSONError(.unexpectedEnd, at: pos) }
            let e = buf[pos]
            pos += 1
            switch e {
            case 0x22: out.append(0x22)
            case 0x5c: out.append(0x5c)
            case 0x2f: out.append(0x2f)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0c)
            case 0x6e: out.append(0x0a)
            case 0x72: out.append(0x0d)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = try hex4()
                if scalar >= 0xD800, scalar < 0xDC00 {
                    guard pos + 2 <= buf.count, buf[pos] == 0x5c, buf[pos + 1] == 0x75 else {
                        throw JSONError(.badEscape, at: pos)
                    }
                    pos += 2
                    let low = try hex4()
                    guard low >= 0xDC00, low < 0xE000 else { throw JSONError(.badEscape, at: pos) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00, scalar < 0xE000 {
                    throw JSONError(.badEscape, at: pos)
                }
                guard let u = Unicode.Scalar(scalar) else { throw JSONError(.badEscape, at: pos) }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw JSONError(.badEscape, at: pos - 1)
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw JSONError(.badUTF8, at: start) }
        return s
    }
}
