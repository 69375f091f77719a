/// A JSON value that keeps object key order and the exact text of numbers.
///
/// Purse must echo a server's payment requirement back *verbatim*; decoding into typed
/// structs and re-encoding would re-order keys and retype numbers (`300` → `300.0`). This type
/// round-trips: `JSONValue.parse(x).encoded()` is `x` minus insignificant white space.
public enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, kept as the text that appeared in the document (it is valid JSON number syntax).
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, with its members in document order.
    case object(JSONObject)
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Equatable {
    /// The member's key.
    public var key: String
    /// The member's value.
    public var value: JSONValue

    /// Creates a member.
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A JSON object with ordered, unique keys.
public struct JSONObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The members in order.
    public private(set) var members: [JSONMember]

    /// Creates an object from members; a later duplicate key replaces an earlier one in place.
    public init(_ members: [JSONMember] = []) {
        self.members = []
        self.members.reserveCapacity(members.count)
        for m in members { self[m.key] = m.value }
    }

    /// Creates an object from members whose keys are already distinct (another object's members,
    /// reordered or mapped), without the per-key search `init(_:)` makes to drop duplicates.
    public init(distinctMembers members: [JSONMember]) {
        assert(Set(members.map(\.key)).count == members.count, "duplicate keys")
        self.members = members
    }

    /// Creates an object from a literal, keeping the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { JSONMember($0.0, $0.1) })
    }

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The value for a key; setting `nil` removes the member, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            if let i = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i) }
            } else if let newValue {
                members.append(JSONMember(key, newValue))
            }
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { JSONMember($0.0, $0.1) }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    /// Creates a number from an integer.
    public static func integer(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }

    /// The member for `key` when this is an object.
    public subscript(key: String) -> JSONValue? {
        if case let .object(o) = self { return o[key] }
        return nil
    }

    /// The string when this is a string.
    public var stringValue: String? { if case let .string(s) = self { return s }; return nil }
    /// The flag when this is a boolean.
    public var boolValue: Bool? { if case let .bool(b) = self { return b }; return nil }
    /// The object when this is an object.
    public var objectValue: JSONObject? { if case let .object(o) = self { return o }; return nil }
    /// The elements when this is an array.
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a }; return nil }
    /// Whether this is `null`.
    public var isNull: Bool { if case .null = self { return true }; return false }

    /// The value as a signed 64-bit integer when it is a number written as an integer that fits
    /// (no fraction, no exponent; `-0` is 0).
    public var int64Value: Int64? {
        guard case let .number(text) = self else { return nil }
        guard !text.utf8.contains(where: { $0 == 0x2e || $0 == 0x65 || $0 == 0x45 }) else { return nil }
        return Int64(text)
    }

    /// The value as a Double when it is a number.
    public var doubleValue: Double? {
        guard case let .number(text) = self else { return nil }
        return Double(text)
    }

    /// A short name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
