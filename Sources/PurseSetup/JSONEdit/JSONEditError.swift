import PurseCore

/// Why an in-place JSON edit could not be made. The document is never written when one is thrown.
public enum JSONEditError: CodedError, Equatable {
    /// The text is not strict JSON (a comment, a trailing comma, a truncated file…).
    case notJSON(JSONError)
    /// The document's top level is not an object.
    case rootNotObject(found: String)
    /// A member on the way to the edit exists but is not an object (path, what it is).
    case notAnObject(path: String, found: String)
    /// A member that should be an array is something else (path, what it is).
    case notAnArray(path: String, found: String)
    /// The byte scanner met something the validated grammar should not allow (offset).
    case unexpected(offset: Int)
    /// The edited text did not parse back to the intended document; nothing was written.
    case verificationFailed

    public var code: String {
        switch self {
        case .notJSON: "json_edit.not_json"
        case .rootNotObject: "json_edit.root_not_object"
        case .notAnObject: "json_edit.not_an_object"
        case .notAnArray: "json_edit.not_an_array"
        case .unexpected: "json_edit.unexpected"
        case .verificationFailed: "json_edit.verification_failed"
        }
    }

    public var message: String {
        switch self {
        case let .notJSON(e): "it is not strict JSON: \(e.message) (comments and trailing commas are not JSON)"
        case let .rootNotObject(found): "its top level is \(found), not an object"
        case let .notAnObject(path, found): "\"\(path)\" is \(found), not an object"
        case let .notAnArray(path, found): "\"\(path)\" is \(found), not an array"
        case let .unexpected(offset): "unexpected text at byte \(offset)"
        case .verificationFailed: "the edit did not read back as intended"
        }
    }
}
