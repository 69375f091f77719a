import PurseCore

/// Edits a JSON document by splicing text into it, so that everything the edit does not touch
/// keeps its bytes: other members, their order, white space, number spelling, escapes, the
/// final newline.
///
/// Host config files are the human's (or the host application's) files; re-serialising them
/// would reflow every line. New text copies the style found around the insertion point: the
/// separator before the last member (a newline and its indentation, or a space, or nothing),
/// the key/value separator, the indentation unit and the line ending.
///
/// Every edit is verified: the new text must parse (strictly) to exactly the intended document,
/// or the edit throws and `bytes` stays as it was.
public struct JSONTextEditor: Sendable {
    /// The document's text.
    public private(set) var bytes: [UInt8]
    /// The document's value (always an object).
    public private(set) var value: JSONValue

    /// The limits used to read host files: generous, since these are the human's own files.
    static var parser: JSONParser { JSONParser(maxDepth: 64, maxBytes: 16 << 20) }

    /// Opens a document. Empty or white-space-only text is taken as a new, empty document.
    ///
    /// - Throws: `.notJSON` (not strict JSON) or `.rootNotObject`.
    public init(bytes: [UInt8]) throws(JSONEditError) {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0a || $0 == 0x0d }) {
            self.bytes = Array("{}\n".utf8)
            value = .object(JSONObject())
            return
        }
        let parsed: JSONValue
        do { parsed = try Self.parser.parse(bytes) } catch { throw .notJSON(error) }
        guard case .object = parsed else { throw .rootNotObject(found: parsed.typeName) }
        self.bytes = bytes
        value = parsed
    }

    /// Sets `path…key` to `newValue`, creating the objects named by `path` where missing.
    ///
    /// - Returns: whether the document changed (false when the member already had this value).
    /// - Throws: `.notAnObject` when a member on `path` is not an object; `.verificationFailed`.
    @discardableResult
    public mutating func set(_ path: [String], _ key: String, to newValue: JSONValue) throws(JSONEditError) -> Bool {
        // Find the deepest existing object on the path.
        var current = value
        var depth = 0
        while depth < path.count, let child = current[path[depth]] {
            guard case .object = child else { throw .notAnObject(path: path[...depth].joined(separator: "."), found: child.typeName) }
            current = child
            depth += 1
        }
        if depth == path.count, current[key] == newValue { return false }
        let expected = Self.setting(value, path[...], key, newValue)

        let root = try JSONSpan.scan(bytes)
        var container = root
        for name in path[..<depth] {
            guard let m = container.members?.first(where: { $0.key == name }) else { throw .unexpected(offset: container.range.lowerBound) }
            container = m.value
        }
        let style = TextStyle(bytes: bytes, root: root)
        var edited = bytes
        if depth == path.count, let i = container.members?.firstIndex(where: { $0.key == key }) {
            let members = container.members!
            let multiline = style.separator(in: container, before: i).contains(0x0a)
            let base = multiline ? style.lineIndent(at: members[i].keyRange.lowerBound) : ""
            let text = style.render(newValue, base: base, multiline: multiline, colon: style.colon(members[i]), comma: style.compactComma(container))
            edited.replaceSubrange(members[i].value.range, with: text.utf8)
        } else {
            // Insert `path[depth]: {…: {key: newValue}}` (or `key: newValue`) into `container`.
            let rest = Array(path[depth...])
            let insertKey = rest.first ?? key
            let insertValue = rest.isEmpty ? newValue : Self.nest(Array(rest.dropFirst()), key, newValue)
            try insertMember(insertKey, insertValue, into: container, style: style, text: &edited)
        }
        try commit(edited, expected: expected)
        return true
    }

    /// Appends `item` to the array at `path…key` unless an element already satisfies `exists`;
    /// a missing array is created holding `item`.
    ///
    /// - Returns: whether the document changed.
    /// - Throws: `.notAnArray`, `.notAnObject`, `.verificationFailed`.
    @discardableResult
    public mutating func appendUnique(_ path: [String], _ key: String, _ item: JSONValue, exists: (JSONValue) -> Bool) throws(JSONEditError) -> Bool {
        var current = value
        for (i, name) in path.enumerated() {
            guard let child = current[name] else { return try set(path, key, to: [item]) }
            guard case .object = child else { throw .notAnObject(path: path[...i].joined(separator: "."), found: child.typeName) }
            current = child
        }
        guard let existing = current[key] else { return try set(path, key, to: [item]) }
        guard case let .array(elements) = existing else {
            throw .notAnArray(path: (path + [key]).joined(separator: "."), found: existing.typeName)
        }
        if elements.contains(where: exists) { return false }
        let expected = Self.setting(value, path[...], key, .array(elements + [item]))

        let root = try JSONSpan.scan(bytes)
        var span = root
        for name in path + [key] {
            guard let m = span.members?.first(where: { $0.key == name }) else { throw .unexpected(offset: span.range.lowerBound) }
            span = m.value
        }
        let style = TextStyle(bytes: bytes, root: root)
        var edited = bytes
        let spans = span.elements ?? []
        if let last = spans.last {
            let sep = style.separator(in: span, before: spans.count - 1)
            let multiline = sep.contains(0x0a)
            let base = multiline ? String(decoding: sep[(sep.lastIndex(of: 0x0a).map { $0 + 1 } ?? 0)...], as: UTF8.self) : ""
            let joiner = multiline || spans.count > 1 ? "," + String(decoding: sep, as: UTF8.self) : (style.defaultColon.hasSuffix(" ") ? ", " : ",")
            let text = joiner + style.render(item, base: base, multiline: multiline, colon: style.defaultColon, comma: joiner)
            edited.insert(contentsOf: text.utf8, at: last.range.upperBound)
        } else {
            let line = style.lineIndent(at: span.range.lowerBound)
            let multiline = style.multilineDocument
            let text = multiline
                ? "[" + style.newline + line + style.unit + style.render(item, base: line + style.unit, multiline: true, colon: style.defaultColon, comma: ",")
                    + style.newline + line + "]"
                : "[" + style.render(item, base: "", multiline: false, colon: style.defaultColon, comma: ", ") + "]"
            edited.replaceSubrange(span.range, with: text.utf8)
        }
        try commit(edited, expected: expected)
        return true
    }

    // MARK: - Text

    /// Inserts `"key": value` as the last member of the object at `container`.
    private func insertMember(_ key: String, _ newValue: JSONValue, into container: JSONSpan, style: TextStyle, text: inout [UInt8]) throws(JSONEditError) {
        let members = container.members ?? []
        let encodedKey = JSONValue.string(key).encoded()
        if let last = members.last {
            let sep = style.separator(in: container, before: members.count - 1)
            let multiline = sep.contains(0x0a)
            let base = multiline ? String(decoding: sep[(sep.lastIndex(of: 0x0a).map { $0 + 1 } ?? 0)...], as: UTF8.self) : ""
            let colon = style.colon(last)
            // The separator before the last member shows the style; before a first member it
            // follows `{`, so with one member the key/value separator's spacing decides.
            let joiner = multiline || members.count > 1 ? "," + String(decoding: sep, as: UTF8.self) : (colon.hasSuffix(" ") ? ", " : ",")
            let insertion = joiner + encodedKey + colon + style.render(newValue, base: base, multiline: multiline, colon: colon, comma: joiner)
            text.insert(contentsOf: insertion.utf8, at: last.value.range.upperBound)
        } else {
            let line = style.lineIndent(at: container.range.lowerBound)
            let colon = style.defaultColon
            let replacement = style.multilineDocument
                ? "{" + style.newline + line + style.unit + encodedKey + colon
                    + style.render(newValue, base: line + style.unit, multiline: true, colon: colon, comma: ",")
                    + style.newline + line + "}"
                : "{" + encodedKey + colon + style.render(newValue, base: "", multiline: false, colon: colon, comma: style.compactCommaDefault) + "}"
            text.replaceSubrange(container.range, with: replacement.utf8)
        }
    }

    /// Accepts `edited` only if it parses to exactly `expected`.
    private mutating func commit(_ edited: [UInt8], expected: JSONValue) throws(JSONEditError) {
        guard let reread = try? Self.parser.parse(edited), reread == expected else { throw .verificationFailed }
        bytes = edited
        value = expected
    }

    // MARK: - Values

    /// `root` with `path…key` set to `newValue` (missing objects created, new keys appended).
    static func setting(_ root: JSONValue, _ path: ArraySlice<String>, _ key: String, _ newValue: JSONValue) -> JSONValue {
        var object = root.objectValue ?? JSONObject()
        if let first = path.first {
            object[first] = setting(object[first] ?? .object(JSONObject()), path.dropFirst(), key, newValue)
        } else {
            object[key] = newValue
        }
        return .object(object)
    }

    /// `{path[0]: {path[1]: … {key: value}}}`.
    static func nest(_ path: [String], _ key: String, _ value: JSONValue) -> JSONValue {
        var inner: JSONValue = .object(JSONObject([JSONMember(key, value)]))
        for name in path.reversed() { inner = .object(JSONObject([JSONMember(name, inner)])) }
        return inner
    }
}

/// The formatting found in a document, and a renderer that writes new values in it.
private struct TextStyle {
    let bytes: [UInt8]
    /// `\r\n` when the document uses it, else `\n`.
    let newline: String
    /// One level of indentation (two spaces when nothing can be learned).
    let unit: String
    /// The key/value separator of the document's first member (`: ` when it has none).
    let defaultColon: String
    /// Whether the document spreads over lines (or is an empty object, which gets the pretty form).
    let multilineDocument: Bool
    /// The separator used between members of single-line objects (`,` or `, `).
    let compactCommaDefault: String

    init(bytes: [UInt8], root: JSONSpan) {
        self.bytes = bytes
        newline = Self.contains(bytes, [0x0d, 0x0a]) ? "\r\n" : "\n"
        let interior = bytes[root.range]
        multilineDocument = interior.contains(0x0a) || (root.members?.isEmpty ?? true)
        var unit = "  "
        var colon = ": "
        var comma = ", "
        if let members = root.members, let first = members.first {
            let sep = Array(bytes[(root.range.lowerBound + 1)..<first.keyRange.lowerBound])
            if let nl = sep.lastIndex(of: 0x0a) {
                let indent = sep[(nl + 1)...]
                if !indent.isEmpty { unit = String(decoding: indent, as: UTF8.self) }
            }
            colon = String(decoding: bytes[first.keyRange.upperBound..<first.value.range.lowerBound], as: UTF8.self)
            if members.count > 1 {
                let second = members[1]
                let between = bytes[first.value.range.upperBound..<second.keyRange.lowerBound]
                if !between.contains(0x0a) { comma = String(decoding: between, as: UTF8.self) }
            }
        }
        self.unit = unit
        defaultColon = colon
        compactCommaDefault = comma
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] && Array(haystack[i..<(i + needle.count)]) == needle {
            return true
        }
        return false
    }

    /// The white space between the delimiter (`{`, `[` or `,`) before child `index` and the child.
    func separator(in container: JSONSpan, before index: Int) -> [UInt8] {
        let childStart: Int
        if let members = container.members { childStart = members[index].keyRange.lowerBound } else { childStart = container.elements![index].range.lowerBound }
        var d = childStart - 1
        while d > container.range.lowerBound, bytes[d] == 0x20 || bytes[d] == 0x09 || bytes[d] == 0x0a || bytes[d] == 0x0d { d -= 1 }
        return Array(bytes[(d + 1)..<childStart])
    }

    /// The key/value separator of `member` as written (`: `, `:`, ` : `).
    func colon(_ member: JSONSpan.Member) -> String {
        String(decoding: bytes[member.keyRange.upperBound..<member.value.range.lowerBound], as: UTF8.self)
    }

    /// The separator between members for a single-line rendering inside `container`.
    func compactComma(_ container: JSONSpan) -> String {
        guard let members = container.members, members.count > 1 else { return compactCommaDefault }
        let between = bytes[members[0].value.range.upperBound..<members[1].keyRange.lowerBound]
        return between.contains(0x0a) ? compactCommaDefault : String(decoding: between, as: UTF8.self)
    }

    /// The spaces and tabs that start the line holding `offset`.
    func lineIndent(at offset: Int) -> String {
        var start = offset
        while start > 0, bytes[start - 1] != 0x0a { start -= 1 }
        var end = start
        while end < bytes.count, bytes[end] == 0x20 || bytes[end] == 0x09 { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Writes `value` in this style: one member or element per line indented from `base` (the
    /// indentation of the line it starts on), or on one line separated by `comma`.
    func render(_ value: JSONValue, base: String, multiline: Bool, colon: String, comma: String) -> String {
        switch value {
        case let .object(o) where !o.isEmpty:
            if !multiline {
                return "{" + o.members.map { JSONValue.string($0.key).encoded() + colon + render($0.value, base: "", multiline: false, colon: colon, comma: comma) }
                    .joined(separator: comma) + "}"
            }
            let inner = base + unit
            return "{" + o.members.map { newline + inner + JSONValue.string($0.key).encoded() + colon + render($0.value, base: inner, multiline: true, colon: colon, comma: comma) }
                .joined(separator: ",") + newline + base + "}"
        case let .array(a) where !a.isEmpty:
            if !multiline {
                return "[" + a.map { render($0, base: "", multiline: false, colon: colon, comma: comma) }.joined(separator: comma) + "]"
            }
            let inner = base + unit
            return "[" + a.map { newline + inner + render($0, base: inner, multiline: true, colon: colon, comma: comma) }.joined(separator: ",") + newline + base + "]"
        default:
            return value.encoded()
        }
    }
}
