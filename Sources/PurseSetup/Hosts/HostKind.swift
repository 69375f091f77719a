/// An LLM host that can launch `purse serve`, and where it keeps its MCP server list.
///
/// Paths are the hosts' user-level (all projects) configuration, as their documentation gives
/// them (checked 2026-11):
/// - **Claude Desktop**: `~/Library/Application Support/Claude/claude_desktop_config.json` on
///   macOS (modelcontextprotocol.io/docs/develop/connect-local-servers, "Settings → Developer →
///   Edit Config"). Anthropic ships no Linux build; the Linux builds people use are Electron
///   apps reading `$XDG_CONFIG_HOME/Claude/claude_desktop_config.json` (`~/.config/Claude/…`),
///   the same `appData/Claude` folder. Servers live under `mcpServers`.
/// - **Cursor**: `~/.cursor/mcp.json` on every platform for servers in all projects
///   (cursor.com/docs/mcp, "Configuration locations": project `.cursor/mcp.json`, global
///   `~/.cursor/mcp.json`). Servers live under `mcpServers`.
/// - **VS Code**: the user profile's `mcp.json` (code.visualstudio.com/docs/copilot/reference/
///   mcp-configuration: "`.vscode/mcp.json` in your workspace or in your user profile"; servers
///   under `servers`, each stdio server with `"type": "stdio"`, secrets through `inputs`). The
///   default profile is `~/Library/Application Support/Code/User` on macOS and
///   `$XDG_CONFIG_HOME/Code/User` (`~/.config/Code/User`) on Linux
///   (code.visualstudio.com/docs/configure/settings, "Settings file locations").
/// - **Claude Code**: registered with its own CLI, `claude mcp add [options] <name> -- <command>
///   [args…]`, where every option comes before the name (code.claude.com/docs/en/mcp).
///   `--scope user` stores the server in `~/.claude.json` under the top-level `mcpServers`;
///   Purse reads that file only to tell whether it is already registered (the CLI owns it,
///   and running sessions rewrite it).
public enum HostKind: String, CaseIterable, Sendable {
    case claudeDesktop = "claude-desktop"
    case claudeCode = "claude-code"
    case cursor
    case vscode

    /// The name people know it by.
    public var displayName: String {
        switch self {
        case .claudeDesktop: "Claude Desktop"
        case .claudeCode: "Claude Code"
        case .cursor: "Cursor"
        case .vscode: "VS Code"
        }
    }

    /// The member holding the server list: `servers` for VS Code, `mcpServers` for the others.
    public var serversKey: String { self == .vscode ? "servers" : "mcpServers" }

    /// Whether Purse edits this host's file itself (all but Claude Code, which has a CLI for it).
    public var isFileEdited: Bool { self != .claudeCode }

    /// The host's user-level MCP configuration file on `platform`.
    ///
    /// - Parameters:
    ///   - platform: the operating system whose conventions apply.
    ///   - home: the user's home directory.
    ///   - environment: consulted for `XDG_CONFIG_HOME` on Linux (Electron apps honour it).
    public func configPath(platform: HostPlatform, home: String, environment: [String: String]) -> String {
        let home = home.hasSuffix("/") && home.count > 1 ? String(home.dropLast()) : home
        let xdg = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.config"
        switch (self, platform) {
        case (.claudeDesktop, .macOS): return home + "/Library/Application Support/Claude/claude_desktop_config.json"
        case (.claudeDesktop, .linux): return xdg + "/Claude/claude_desktop_config.json"
        case (.cursor, _): return home + "/.cursor/mcp.json"
        case (.vscode, .macOS): return home + "/Library/Application Support/Code/User/mcp.json"
        case (.vscode, .linux): return xdg + "/Code/User/mcp.json"
        case (.claudeCode, _): return home + "/.claude.json"
        }
    }
}

/// The operating systems whose host paths Purse knows.
public enum HostPlatform: String, Sendable, CaseIterable {
    case linux
    case macOS

    /// The platform this binary runs on.
    public static var current: HostPlatform {
        #if os(macOS)
        .macOS
        #else
        .linux
        #endif
    }
}
