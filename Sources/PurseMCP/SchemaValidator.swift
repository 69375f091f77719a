// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import PurseCore

/// Checks a JSON value against the subset of JSON Schema (draft 2020-12) our tool schemas use.
///
/// Supported keywords: `type` (a name or a list), `properties`, `required`,
/// `additionalProperties` (boolean or schema), `propertyNames`, `maxProperties`, `enum`,
/// `const`, `minLength`/`maxLength` (in Unicode scalars, as the spec counts), `pattern`,
/// `minimum`/`maximum`, `items`, `maxItems`. Unknown keywords (`title`, `description`,
/// `default`, `format`, `$schema`, …) are ignored. Driving validation from the same schema the
/// client sees means the two cannot disagree.
struct SchemaValidator {
    /// One failed check: where and why.
    struct Failure: Error, Equatable {
        /// The dotted path of the offending value (empty for the root).
        var path: String
        /// What was wrong, for a human.
        var reason: String
    }

    /// Returns the first failure, or nil when `value` matches `schema`.
    static func validate(_ value: JSONValue, against schema: JSONValue, path: String = "") -> Failure? {
        guard case let .object(s) = schema else { return nil }
        let name = path.isEmpty ? "the arguments" : "'\(path)'"

        if let type = s["type"] {
            let allowed: [String] =
                type.stringValue.map { [$0] } ?? type.arrayValue?.compactMap(\.stringValue) ?? []
            if !allowed.contains(where: { matches(value, type: $0) }) {
                return Failure(path: path, reason: "must be \(allowed.map(article).joined(separator: " or ")), got \(value.typeName)")
            }
        }
        if let options = s["enum"]?.arrayValue, !options.contains(value) {
            let list = options.map { $0.stringValue ?? $0.encoded() }.joined(separator: ", ")
            return Failure(path: path, reason: "must be one of \(list)")
        }
        if let constant = s["const"], constant != value {
            return Failure(path: path, reason: "must be \(constant.encoded())")
        }

        switch value {
        case let .string(text):
            let length = text.unicodeScalars.count
            if let max = s["maxLength"]?.int64Value, length > max {
                return Failure(path: path, reason: "is too long (\(length) characters; at most \(max))")
            }
            if let min = s["minLength"]?.int64Value, length < min {
                return Failure(path: path, reason: "is too short (at least \(min) characters)")
            }
            if let pattern = s["pattern"]?.stringValue, !Self.matches(text, pattern: pattern) {
                let hint = s["description"]?.stringValue.map { " (\($0))" } ?? ""
                return Failure(path: path, reason: "has an invalid format\(hint)")
            }
        case .number:
            if let min = s["minimum"]?.doubleValue, let v = value.doubleValue, v < min {
                return Failure(path: path, reason: "must be at least \(s["minimum"]!.encoded())")
            }
            if let max = s["maximum"]?.doubleValue, let v = value.doubleValue, v > max {
                return Failure(path: path, reason: "must be at most \(s["maximum"]!.encoded())")
            }
        case let .array(items):
            if let max = s["maxItems"]?.int64Value, items.count > max {
                return Failure(path: path, reason: "has too many items (at most \(max))")
            }
            if let itemSchema = s["items"] {
                for (i, item) in items.enumerated() {
                    if let f = validate(item, against: itemSchema, path: join(path, "\(i)")) { return f }
                }
            }
        case let .object(object):
            if let max = s["maxProperties"]?.int64Value, object.members.count > max {
                return Failure(path: path, reason: "has too many entries (\(object.members.count); at most \(max))")
            }
            for key in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[key] == nil {
                return Failure(path: join(path, key), reason: "is required")
            }
            let properties = s["properties"]?.objectValue ?? JSONObject()
            for member in object.members {
                let childPath = join(path, member.key)
                if let names = s["propertyNames"],
                    let f = validate(.string(member.key), against: names, path: childPath)
                {
                    return Failure(path: childPath, reason: "is not a valid name: \(f.reason)")
                }
                if let propertySchema = properties[member.key] {
                    if let f = validate(member.value, against: propertySchema, path: childPath) { return f }
                } else if let extra = s["additionalProperties"] {
                    if extra == .bool(false) {
                        return Failure(path: childPath, reason: "is not a known argument of \(name == "the arguments" ? "this tool" : name)")
                    }
                    if let f = validate(member.value, against: extra, path: childPath) { return f }
                }
            }
        default:
            break
        }
        return nil
    }

    /// Returns a copy of `object` with each missing top-level property that has a `default` in
    /// `schema` filled in.
    static func fillingDefaults(_ object: JSONObject, from schema: JSONValue) -> JSONObject {
        var out = object
        for member in schema["properties"]?.objectValue?.members ?? [] {
            if out[member.key] == nil, let value = member.value["default"] { out[member.key] = value }
        }
        return out
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array),
            ("object", .object), ("number", .number):
            true
        case ("integer", .number): value.int64Value != nil
        default: false
        }
    }

    private static func article(_ type: String) -> String {
        switch type {
        case "null": "null"
        case "integer", "object", "array": "an \(type)"
        default: "a \(type)"
        }
    }

    private static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    nonisolated(unsafe) private static var regexCache: [String: NSRegularExpression] = [:]
    private static let regexLock = NSLock()

    private static func matches(_ text: String, pattern: String) -> Bool {
        if let known = KnownPattern.match(text, pattern: pattern) { return known }
        regexLock.lock()
        defer { regexLock.unlock() }
        let regex: NSRegularExpression
        if let cached = regexCache[pattern] {
            regex = cached
        } else {
            guard let compiled = try? NSRegularExpression(pattern: pattern) else { return false }
            regexCache[pattern] = compiled
            regex = compiled
        }
        let range = NSRange(text.startIndex..., in: text)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }
}
