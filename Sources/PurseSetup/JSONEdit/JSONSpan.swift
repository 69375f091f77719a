import PurseCore

/// Where each value of a JSON document sits in its bytes, so that an edit can splice new text
/// into the document and leave every other byte (white space, key order, number spelling,
/// escapes) exactly as the human or the host application wrote it.
///
/// The document must already have passed `JSONParser` (strict RFC 8259): this scanner trusts the
/// grammar and only records offsets. It still throws rather than trapping on anything odd.
struct JSONSpan: Equatable {
    /// One member of an object: the key's bytes (with quotes), its decoded text, its value.
    struct Member: Equatable {
        var keyRange: Range<Int>
        var key: String
        var value: JSONSpan
    }

    /// What kind of value this is, with its children.
    indirect enum Kind: Equatable {
        case object([Member])
        case array([JSONSpan])
        case scalar
    }

    /// The value's bytes, from its first to its last character.
    var range: Range<Int>
    var kind: Kind

    /// The object's members, or nil for an array or scalar.
    var members: [Member]? { if case let .object(m) = kind { return m }; return nil }
    /// The array's elements, or nil for an object or scalar.
    var elements: [JSONSpan]? { if case let .array(e) = kind { return e }; return nil }

    /// Scans a whole document (already validated by `JSONParser`).
    static func scan(_ bytes: [UInt8]) throws(JSONEditError) -> JSONSpan {
        var scanner = Scanner(bytes: bytes)
        scanner.skipSpace()
        let span = try scanner.value()
        return span
    }
}

/// The byte-level scanner behind `JSONSpan.scan`.
private struct Scanner {
    let bytes: [UInt8]
    var pos = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpace() {
        while pos < bytes.count, bytes[pos] == 0x20 || bytes[pos] == 0x09 || bytes[pos] == 0x0a || bytes[pos] == 0x0d { pos += 1 }
    }

    func fail() -> JSONEditError { .unexpected(offset: pos) }

    mutating func value() throws(JSONEditError) -> JSONSpan {
        guard pos < bytes.count else { throw fail() }
        let start = pos
        switch bytes[pos] {
        case 0x7b: // {
            pos += 1
            var members = [JSONSpan.Member]()
            skipSpace()
            if pos < bytes.count, bytes[pos] == 0x7d { pos += 1; return JSONSpan(range: start..<pos, kind: .object([])) }
            while true {
                skipSpace()
                let keyRange = try string()
                guard case let .string(key)? = try? JSONParser().parse(bytes[keyRange]) else { throw JSONEditError.unexpected(offset: keyRange.lowerBound) }
                skipSpace()
                guard pos < bytes.count, bytes[pos] == 0x3a else { throw fail() }
                pos += 1
                skipSpace()
                members.append(JSONSpan.Member(keyRange: keyRange, key: key, value: try value()))
                skipSpace()
                guard pos < bytes.count else { throw fail() }
                if bytes[pos] == 0x2c { pos += 1; continue }
                guard bytes[pos] == 0x7d else { throw fail() }
                pos += 1
                return JSONSpan(range: start..<pos, kind: .object(members))
            }
        case 0x5b: // [
            pos += 1
            var elements = [JSONSpan]()
            skipSpace()
            if pos < bytes.count, bytes[pos] == 0x5d { pos += 1; return JSONSpan(range: start..<pos, kind: .array([])) }
            while true {
                skipSpace()
                elements.append(try value())
                skipSpace()
                guard pos < bytes.count else { throw fail() }
                if bytes[pos] == 0x2c { pos += 1; continue }
                guard bytes[pos] == 0x5d else { throw fail() }
                pos += 1
                return JSONSpan(range: start..<pos, kind: .array(elements))
            }
        case 0x22:
            return JSONSpan(range: try string(), kind: .scalar)
        default:
            while pos < bytes.count, !Self.ends(bytes[pos]) { pos += 1 }
            guard pos > start else { throw fail() }
            return JSONSpan(range: start..<pos, kind: .scalar)
        }
    }

    /// A string's bytes, quotes included.
    mutating func string() throws(JSONEditError) -> Range<Int> {
        guard pos < bytes.count, bytes[pos] == 0x22 else { throw fail() }
        let start = pos
        pos += 1
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x5c: pos += 2
            case 0x22: pos += 1; return start..<pos
            default: pos += 1
            }
        }
        throw fail()
    }

    /// Whether `b` ends a number or literal.
    static func ends(_ b: UInt8) -> Bool {
        b == 0x2c || b == 0x7d || b == 0x5d || b == 0x20 || b == 0x09 || b == 0x0a || b == 0x0d
    }
}
