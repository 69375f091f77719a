// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.

/// Finds the integer `id` of a JSON-RPC response from its first or last bytes only, so an
/// oversized answer can fail the request it answers at once instead of leaving it to time out.
///
/// Purse's own request ids are small non-negative integers, so only those are looked for. The
/// head is walked as JSON (strings and nesting tracked) for a top-level `"id"` member; the tail
/// is matched for a final `"id": N}`, which is where serializers that put `id` last leave it.
public enum ResponseID {
    /// The id in an oversized frame's head or tail, if either shows it.
    public static func find(head: [UInt8], tail: [UInt8]) -> Int? {
        inHead(head) ?? inTail(tail)
    }

    /// A top-level `"id": N` among the first members of an object.
    static func inHead(_ bytes: [UInt8]) -> Int? {
        var depth = 0
        var i = 0
        var expectKey = false
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "\""):
                let start = i + 1
                var j = start
                while j < bytes.count, bytes[j] != UInt8(ascii: "\"") { j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1 }
                guard j < bytes.count else { return nil }
                if depth == 1, expectKey, bytes[start..<j].elementsEqual("id".utf8) {
                    var k = j + 1
                    while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
                    guard k < bytes.count, bytes[k] == UInt8(ascii: ":") else { return nil }
                    k += 1
                    while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
                    return integer(bytes, from: k)
                }
                expectKey = false
                i = j + 1
                continue
            case UInt8(ascii: "{"): depth += 1; expectKey = depth == 1
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ","): expectKey = depth == 1
            default: break
            }
            i += 1
        }
        return nil
    }

    /// `"id": N }` at the very end (blanks allowed).
    static func inTail(_ bytes: [UInt8]) -> Int? {
        var k = bytes.count - 1
        func skipBlanks() { while k >= 0, bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0D { k -= 1 } }
        skipBlanks()
        guard k >= 0, bytes[k] == UInt8(ascii: "}") else { return nil }
        k -= 1
        skipBlanks()
        let end = k
        while k >= 0, (0x30...0x39).contains(bytes[k]) { k -= 1 }
        guard k < end else { return nil }
        let digits = k + 1
        skipBlanks()
        guard k >= 0, bytes[k] == UInt8(ascii: ":") else { return nil }
        k -= 1
        skipBlanks()
        guard k >= 3, bytes[(k - 3)...k].elementsEqual("\"id\"".utf8) else { return nil }
        return integer(bytes, from: digits)
    }

    private static func integer(_ bytes: [UInt8], from start: Int) -> Int? {
        var k = start
        var n = 0
        while k < bytes.count, (0x30...0x39).contains(bytes[k]), k - start < 15 {
            n = n * 10 + Int(bytes[k] - 0x30)
            k += 1
        }
        return k > start ? n : nil
    }
}
