import PurseCore

/// How a host launches Purse: the binary, its arguments, and the environment it needs.
///
/// The command is an absolute path (hosts started from a desktop session do not have the
/// shell's `PATH`), and `--config` names the config explicitly so the host runs with the file
/// `init` wrote whatever its working directory and environment.
public struct ServerLaunch: Sendable, Equatable {
    /// The server's name in the host's list.
    public static let serverName = "purse"
    /// The id of the VS Code input that asks for the keystore password.
    public static let vscodePasswordInput = "purse-password"

    /// The absolute path of the `purse` binary.
    public var command: String
    /// The config file `serve` reads.
    public var configPath: String
    /// The ledger path, when not the default one.
    public var dbPath: String?
    /// The environment variable that carries the keystore password (`key.passwordEnv`), if any.
    public var passwordEnv: String?

    /// Creates a launch description.
    public init(command: String, configPath: String, dbPath: String? = nil, passwordEnv: String? = nil) {
        self.command = command
        self.configPath = configPath
        self.dbPath = dbPath
        self.passwordEnv = passwordEnv
    }

    /// `serve --config PATH [--db PATH]`.
    public var args: [String] {
        ["serve", "--config", configPath] + (dbPath.map { ["--db", $0] } ?? [])
    }

    /// The host's server entry.
    ///
    /// - Parameters:
    ///   - host: which host (VS Code entries carry `"type": "stdio"` and take the password
    ///     through an input prompt instead of storing it); nil for a generic `mcpServers` entry.
    ///   - password: the keystore password, written into the entry's `env` when the config
    ///     reads it from `passwordEnv` and the host has no safer way to pass it; nil otherwise.
    public func entry(for host: HostKind?, password: String?) -> JSONValue {
        var env = JSONObject()
        if let name = passwordEnv {
            if host == .vscode {
                env[name] = .string("${input:\(Self.vscodePasswordInput)}")
            } else if let password {
                env[name] = .string(password)
            }
        }
        if let host { env["PURSE_SESSION_LABEL"] = .string(host.rawValue) }
        var entry = JSONObject()
        if host == .vscode { entry["type"] = "stdio" }
        entry["command"] = .string(command)
        entry["args"] = .array(args.map { .string($0) })
        if !env.isEmpty { entry["env"] = .object(env) }
        return .object(entry)
    }

    /// VS Code's input definition for the password prompt (`"password": true` hides the typing
    /// and VS Code keeps the answer in its secret storage, not in `mcp.json`).
    public static var vscodePasswordInputDefinition: JSONValue {
        ["type": "promptString", "id": .string(vscodePasswordInput), "description": "Purse keystore password", "password": true]
    }
}
