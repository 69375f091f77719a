import PurseCore

/// Why `purse init`, `purse keygen` or a host registration stopped. Codes are stable; messages
/// name the file and say what to do, and never contain a key or a password.
///
/// Codes: `file.exists`, `file.read_only`, `file.unreadable`, `file.write_failed`,
/// `host.not_json`, `host.bad_shape`, `host.read_only`, `host.changed_meanwhile`,
/// `init.password_env_unset`, `init.password_needed`, `init.keystore_exists`,
/// `init.config_invalid`, `init.config_has_no_key`, `init.bad_option`, `init.not_confirmed`,
/// `init.claude_failed`.
public struct SetupError: CodedError, Equatable {
    /// The stable code.
    public let code: String
    /// The explanation.
    public let message: String

    /// Creates an error.
    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
}
