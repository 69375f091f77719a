import PurseCore
import Wallet

/// Registers Purse in Claude Code through its own CLI: `claude mcp add --scope user …`.
///
/// Claude Code owns `~/.claude.json` (running sessions rewrite it), so Purse does not edit it;
/// it reads it only to tell whether the same registration is already there. Syntax from
/// code.claude.com/docs/en/mcp: `claude mcp add [options] <name> -- <command> [args…]`, every
/// option (`--scope`, `--env KEY=value`) before the name, `--` before the server's command.
public struct ClaudeCodeRegistration: Sendable {
    /// How Purse is launched.
    public let launch: ServerLaunch
    /// The keystore password for `--env`, when the config reads it from `passwordEnv`.
    public let password: String?

    /// Creates a registration.
    public init(launch: ServerLaunch, password: String?) {
        self.launch = launch
        self.password = password
    }

    /// The entry `claude mcp add` stores (what `~/.claude.json` holds afterwards).
    public var entry: JSONValue { launch.entry(for: .claudeCode, password: password) }

    /// The argv of `claude mcp add` (with the password itself, for running).
    public var addArguments: [String] { words(secretShown: true).map(\.text) }

    /// The command line for a human to paste: shell-quoted, the password written as `"$NAME"`
    /// so that it never appears in the output or the shell history.
    public var printableLine: String {
        words(secretShown: false).map { $0.shellReady ? $0.text : Self.shellQuote($0.text) }.joined(separator: " ")
    }

    /// The argv of `claude mcp remove` for the user-scope entry (run before re-adding a changed one).
    public static let removeArguments = ["claude", "mcp", "remove", "--scope", "user", ServerLaunch.serverName]

    /// Whether `existing` (the `purse` entry of `~/.claude.json`) launches Purse exactly as this
    /// registration would: same command, arguments and environment. Claude Code adds its own
    /// fields (`type`), which do not matter.
    public func matches(_ existing: JSONValue?) -> Bool {
        guard let existing else { return false }
        let want = entry
        return existing["command"] == want["command"] && existing["args"] == want["args"]
            && (existing["env"] ?? .object(JSONObject())) == (want["env"] ?? .object(JSONObject()))
    }

    /// One word of the command line; `shellReady` words are printed as they are.
    private struct Word {
        var text: String
        var shellReady = false
    }

    private func words(secretShown: Bool) -> [Word] {
        var argv: [Word] = ["claude", "mcp", "add", "--scope", "user"].map { Word(text: $0) }
        if let name = launch.passwordEnv, let password {
            argv.append(Word(text: "--env"))
            argv.append(secretShown ? Word(text: "\(name)=\(password)") : Word(text: "\(name)=\"$\(name)\"", shellReady: true))
        }
        argv += (["--env", "PURSE_SESSION_LABEL=\(HostKind.claudeCode.rawValue)", ServerLaunch.serverName, "--", launch.command] + launch.args)
            .map { Word(text: $0) }
        return argv
    }

    /// Quotes `word` for a POSIX shell when it holds anything but safe characters.
    static func shellQuote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0)) }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
