// PurseMCP: the MCP face of the Purse wallet.

/// Walks the top-level members of one JSON object, in the order they are written, and skips
/// their values without decoding them: no allocation, and only the bytes up to the member asked
/// for are looked at.
///
/// It is a reader for documents that are known to be valid JSON (frames the SDK's `JSONEncoder`
/// wrote) or whose result is checked afterwards (a candidate id token is re-parsed with the
/// strict `JSONParser`). It does not validate what it skips: on valid JSON it finds exactly the
/// members a parser would, and on anything else it may stop early (`.stop`), never read out of
/// bounds, and never loop.
///
/// Keys are handed out as raw bytes between their quotes, with `escaped` telling whether they
/// contain a backslash; callers compare unescaped keys byte for byte and treat escaped ones as
/// "cannot tell", so an escape sequence can never make a key look like another one.
struct JSONMemberScanner {
    /// What `nextKey()` found.
    enum Next: Equatable {
        /// A member's key (the bytes between the quotes); the scanner now stands at its value.
        case key(Range<Int>, escaped: Bool)
        /// The closing brace of the object.
        case end
        /// Not the shape expected, or the bytes ran out.
        case stop
    }

    /// The document.
    let bytes: [UInt8]
    /// The index of the next byte to look at; everything before it has been examined.
    private(set) var position: Int
    private var sawMember = false

    /// A scanner standing inside the object that `bytes` holds, or nil when the first
    /// non-white-space byte is not `{` (an array, a scalar, nothing).
    init?(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = 0
        skipSpace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else { return nil }
        position += 1
    }

    /// Moves to the next member's key (past the `,` before it and the `:` after it).
    mutating func nextKey() -> Next {
        skipSpace()
        guard position < bytes.count else { return .stop }
        if bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .end
        }
        if sawMember {
            guard bytes[position] == UInt8(ascii: ",") else { return .stop }
            position += 1
            skipSpace()
        }
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return .stop }
        let start = position + 1
        guard let (end, escaped) = stringEnd(from: start) else { return .stop }
        position = end + 1
        skipSpace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return .stop }
        position += 1
        skipSpace()
        sawMember = true
        return .key(start..<end, escaped: escaped)
    }

    /// Skips the value the scanner stands at and returns its bytes' range, or nil when the bytes
    /// run out first (or nothing is there).
    @discardableResult
    mutating func skipValue() -> Range<Int>? {
        let start = position
        guard position < bytes.count else { return nil }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            guard let (end, _) = stringEnd(from: position + 1) else { return nil }
            position = end + 1
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "\""):
                    guard let (end, _) = stringEnd(from: position + 1) else { return nil }
                    position = end
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                default:
                    break
                }
                position += 1
                if depth == 0 { return start..<position }
            }
            return nil
        default:  // a number, true, false or null: up to the next delimiter
            while position < bytes.count, !Self.isDelimiter(bytes[position]) { position += 1 }
            guard position > start, position < bytes.count else { return nil }
        }
        return start..<position
    }

    /// Whether the key at `range` is exactly `name` (an unescaped ASCII key).
    func key(_ range: Range<Int>, is name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        return name.withUTF8Buffer { name in
            var i = range.lowerBound
            for b in name {
                guard bytes[i] == b else { return false }
                i += 1
            }
            return true
        }
    }

    /// The index of the closing quote of a string whose contents start at `from`, and whether
    /// it holds a backslash; nil when the bytes run out.
    private func stringEnd(from: Int) -> (Int, Bool)? {
        var i = from
        var escaped = false
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\""): return (i, escaped)
            case UInt8(ascii: "\\"):
                escaped = true
                i += 2
            default:
                i += 1
            }
        }
        return nil
    }

    private mutating func skipSpace() {
        while position < bytes.count, Self.isSpace(bytes[position]) { position += 1 }
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
    }

    private static func isDelimiter(_ b: UInt8) -> Bool {
        isSpace(b) || b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]")
    }
}
