import PurseCore

/// Why the wallet's key could not be loaded. Messages never contain key material.
public struct KeyLoadError: CodedError, Equatable {
    /// The stable code.
    public let code: String
    /// The explanation.
    public let message: String

    init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
}
