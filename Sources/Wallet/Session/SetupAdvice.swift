import Foundation
import PurseCore

/// What the human must do when the wallet cannot be opened (no key, a config it cannot load, a
/// ledger it cannot write): the error and its fix, naming the paths that apply.
///
/// `purse serve` keeps running in that state and puts this in every tool's answer, because a
/// host only shows "server failed" for a server that exits, and the agent can relay a fix.
public struct SetupAdvice: Sendable, Equatable {
    /// The underlying error's code (`key.not_configured`, `config.bad_value`, `ledger.read_only`…).
    public let code: String
    /// The underlying error's message.
    public let message: String
    /// What to do, step by step.
    public let fix: String
    /// The config file `serve` read (or would read).
    public let configPath: String

    /// The advice for `error`, met while opening the wallet with the config at `configPath`.
    public init(error: any CodedError, configPath: String) {
        code = error.code
        message = error.message
        // Absolute, so the fix can be followed from any directory (the host's may differ).
        let configPath = configPath.hasPrefix("/") ? configPath
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(configPath).standardized.path
        self.configPath = configPath
        let dir = (configPath as NSString).deletingLastPathComponent
        let keystore = (dir.isEmpty ? "." : dir) + "/key.json"
        let restart = "then restart the MCP server (the host starts `purse serve` again)."
        switch error.code {
        case "key.not_configured":
            fix = """
                Make a key: run `purse init` (keystore, config and host registration in one go), or by hand: \
                run `purse keygen --out \(keystore)` (it asks for a password, or reads PURSE_KEY_PASSWORD); \
                add "key": {"keystore": "\(keystore)", "passwordEnv": "PURSE_KEY_PASSWORD"} to \(configPath); \
                set PURSE_KEY_PASSWORD in the environment the host gives this server (the "env" of its MCP server entry); \
                fund the address `purse address --config \(configPath)` prints; \(restart)
                """
        case "key.password_missing":
            fix = "Set the keystore's password variable (key.passwordEnv in \(configPath)) in the environment the host gives this server (the \"env\" of its MCP server entry); \(restart)"
        case "key.file_permissions":
            fix = "Make the key file readable by its owner only (chmod 600 on the path in \(configPath)); \(restart)"
        case let c where c.hasPrefix("key."):
            fix = "Check the key named in \(configPath) (or PURSE_PRIVATE_KEY): \(error.message). `purse address --config \(configPath)` shows whether it loads; \(restart)"
        case let c where c.hasPrefix("config."):
            fix = "Fix \(configPath): \(error.message). The schema is schemas/config.schema.json; `purse doctor --config \(configPath)` checks the file; \(restart)"
        case let c where c.hasPrefix("ledger.") && (error.message.contains("postgresql://") || error.message.contains("PostgreSQL")):
            // A shared PostgreSQL ledger: a writable path is not the answer (`purse doctor` names the exact fix).
            fix = "The ledger database cannot be used: \(error.message). Check that the PostgreSQL server in --db, PURSE_DB or the config's \"db\" is reachable from this machine, "
                + "that the variable the config's \"dbPasswordEnv\" names is in the environment the host gives this server (the \"env\" of its MCP server entry), "
                + "and the URL's sslmode and sslrootcert; `purse doctor --config \(configPath)` says which; \(restart)"
        case let c where c.hasPrefix("ledger."):
            fix = "The ledger database cannot be used: \(error.message). Point --db, PURSE_DB or the config's \"db\" at a writable path; \(restart)"
        default:
            fix = "Fix the problem above; \(restart)"
        }
    }

    /// One paragraph for logs, tool answers and the server's instructions.
    public var summary: String { "Purse is not set up, so nothing can be paid: \(message) [\(code)]. To fix: \(fix)" }

    /// `{error: {code, message, fix}, notConfigured: true, configPath}`.
    public func json() -> JSONValue {
        ["error": ["code": .string(code), "message": .string(message), "fix": .string(fix)],
         "notConfigured": true, "configPath": .string(configPath)]
    }
}
