// Purse HTTP module: an ordered, case-insensitive list of HTTP header fields.

/// An ordered list of HTTP header fields with case-insensitive name lookup.
///
/// Order and repeated names are kept exactly as added or as received. Names are compared
/// ignoring ASCII case; values are kept verbatim.
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    /// One header field.
    public typealias Element = (name: String, value: String)

    private var fields: [Element]

    /// Creates a header list from `(name, value)` pairs, in order.
    public init(_ pairs: [(String, String)] = []) {
        fields = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// The number of fields, counting repeated names.
    public var count: Int { fields.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { fields.isEmpty }

    /// The value of the first field named `name` (ignoring case), or nil.
    public subscript(name: String) -> String? {
        fields.first { Self.sameName($0.name, name) }?.value
    }

    /// The values of every field named `name` (ignoring case), in order.
    public func values(_ name: String) -> [String] {
        fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    /// Appends a field, keeping any existing fields of the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces every field named `name` with one field, at the position of the first one
    /// (or at the end when there was none).
    public mutating func set(_ name: String, _ value: String) {
        if let i = fields.firstIndex(where: { Self.sameName($0.name, name) }) {
            fields[i] = (name: name, value: value)
            var j = fields.count - 1
            while j > i {
                if Self.sameName(fields[j].name, name) { fields.remove(at: j) }
                j -= 1
            }
        } else {
            fields.append((name: name, value: value))
        }
    }

    /// Removes every field named `name` (ignoring case).
    public mutating func remove(_ name: String) {
        fields.removeAll { Self.sameName($0.name, name) }
    }

    /// Whether a field named `name` (ignoring case) is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.sameName($0.name, name) }
    }

    /// Iterates over the fields in order.
    public func makeIterator() -> IndexingIterator<[Element]> {
        fields.makeIterator()
    }

    /// Whether two lists hold the same fields in the same order (names compared ignoring case).
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        guard lhs.fields.count == rhs.fields.count else { return false }
        for (l, r) in zip(lhs.fields, rhs.fields) where !sameName(l.name, r.name) || l.value != r.value {
            return false
        }
        return true
    }

    /// Appends `text` to the value of the last field (for obsolete folded header lines).
    mutating func appendToLastValue(_ text: String) {
        guard !fields.isEmpty else { return }
        let last = fields.count - 1
        fields[last].value = fields[last].value.isEmpty ? text : fields[last].value + " " + text
    }

    /// `value` without the optional whitespace (spaces and tabs, RFC 9110 §5.6.3) around it.
    /// A byte loop, not Foundation's `trimmingCharacters`, whose bridge through `NSString`
    /// cost more than the rest of building a request's header list.
    static func trimmingOptionalWhitespace(_ value: String) -> Substring {
        let utf8 = value.utf8
        let isOWS: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = utf8.firstIndex(where: { !isOWS($0) }) else { return "" }
        let last = utf8.lastIndex(where: { !isOWS($0) })!
        return value[first...last]
    }

    /// Compares two header names ignoring ASCII case, without allocating.
    static func sameName(_ a: String, _ b: String) -> Bool {
        var ia = a.utf8.makeIterator()
        var ib = b.utf8.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil): return true
            case let (x?, y?):
                if x == y { continue }
                let lx = x >= 0x41 && x <= 0x5a ? x | 0x20 : x
                let ly = y >= 0x41 && y <= 0x5a ? y | 0x20 : y
                if lx != ly { return false }
            default: return false
            }
        }
    }
}
