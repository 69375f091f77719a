import Foundation
import PurseCore
import Testing
import WalletConfig
@testable import PurseSetup

/// The small pieces of `init`: command-word splitting, the starter config, host paths, the
/// Claude Code command line, funding advice.
@Suite struct SetupPiecesTests {
    @Test func commandWordsSplitLikeAShellWithoutExpansion() {
        #expect(CommandWords.split("secret-tool lookup service purse") == ["secret-tool", "lookup", "service", "purse"])
        #expect(CommandWords.split("  pass   show 'my key'  ") == ["pass", "show", "my key"])
        #expect(CommandWords.split(#"op read "op://Vault/Purse \"key\"/password""#) == ["op", "read", #"op://Vault/Purse "key"/password"#])
        #expect(CommandWords.split(#"echo $HOME\ x ''"#) == ["echo", "$HOME x", ""])
        #expect(CommandWords.split("unclosed 'quote") == nil)
        #expect(CommandWords.split("trailing \\") == nil)
        #expect(CommandWords.split("") == [])
    }

    @Test func starterConfigLoadsWithSafeDefaults() throws {
        let starter = StarterConfig(keystorePath: "/k/keystore.json", password: .command(argv: ["pass", "show", "purse"], timeoutSeconds: 30), network: "eip155:84532")
        let config = try PurseConfig.parse(Array(starter.text.utf8))
        #expect(config.key == .keystore(path: "/k/keystore.json", password: .command(argv: ["pass", "show", "purse"], timeoutSeconds: 30)))
        #expect(config.allowedNetworks == ["eip155:84532"])
        #expect(config.rpcURL(network: "eip155:84532") == "https://sepolia.base.org")
        #expect(config.policy.confirmAbove == Micros(50_000))
        #expect(config.policy.maxPerRequest == PolicyConfig().maxPerRequest)
        #expect(starter.text.contains("\"maxPerRequest\": \"0.10\""))
        #expect(starter.text.hasSuffix("}\n"))
        let env = StarterConfig(keystorePath: "/k", password: .environment("PW"), network: "eip155:8453", rpcUrl: "http://127.0.0.1:8545", db: "/d.db")
        let c2 = try PurseConfig.parse(Array(env.text.utf8))
        #expect(c2.key == .keystore(path: "/k", passwordEnv: "PW"))
        #expect(c2.allowedNetworks == ["eip155:8453"] && c2.db == "/d.db" && c2.rpcURL(network: "eip155:8453") == "http://127.0.0.1:8545")
    }

    @Test func hostPathsFollowEachPlatform() {
        let env = ["XDG_CONFIG_HOME": "/x"]
        #expect(HostKind.claudeDesktop.configPath(platform: .macOS, home: "/Users/me", environment: [:]) == "/Users/me/Library/Application Support/Claude/claude_desktop_config.json")
        #expect(HostKind.claudeDesktop.configPath(platform: .linux, home: "/home/me", environment: [:]) == "/home/me/.config/Claude/claude_desktop_config.json")
        #expect(HostKind.claudeDesktop.configPath(platform: .linux, home: "/home/me", environment: env) == "/x/Claude/claude_desktop_config.json")
        #expect(HostKind.cursor.configPath(platform: .macOS, home: "/Users/me", environment: env) == "/Users/me/.cursor/mcp.json")
        #expect(HostKind.cursor.configPath(platform: .linux, home: "/home/me/", environment: env) == "/home/me/.cursor/mcp.json")
        #expect(HostKind.vscode.configPath(platform: .macOS, home: "/Users/me", environment: [:]) == "/Users/me/Library/Application Support/Code/User/mcp.json")
        #expect(HostKind.vscode.configPath(platform: .linux, home: "/home/me", environment: [:]) == "/home/me/.config/Code/User/mcp.json")
        #expect(HostKind.claudeCode.configPath(platform: .linux, home: "/home/me", environment: env) == "/home/me/.claude.json")
        #expect(HostKind.vscode.serversKey == "servers" && HostKind.cursor.serversKey == "mcpServers")
    }

    @Test func claudeCodeLineNeverShowsThePassword() {
        let launch = ServerLaunch(command: "/opt/my purse/purse", configPath: "/c.json", passwordEnv: "PW")
        let reg = ClaudeCodeRegistration(launch: launch, password: "hunter2")
        #expect(reg.addArguments == ["claude", "mcp", "add", "--scope", "user", "--env", "PW=hunter2", "--env", "PURSE_SESSION_LABEL=claude-code",
                                     "purse", "--", "/opt/my purse/purse", "serve", "--config", "/c.json"])
        #expect(reg.printableLine == #"claude mcp add --scope user --env PW="$PW" --env PURSE_SESSION_LABEL=claude-code purse -- '/opt/my purse/purse' serve --config /c.json"#)
        #expect(!reg.printableLine.contains("hunter2"))
        #expect(reg.matches(["type": "stdio", "command": "/opt/my purse/purse", "args": ["serve", "--config", "/c.json"],
                             "env": ["PW": "hunter2", "PURSE_SESSION_LABEL": "claude-code"]]))
        #expect(!reg.matches(["command": "/other", "args": ["serve", "--config", "/c.json"]]))
        #expect(!reg.matches(nil))
        let plain = ClaudeCodeRegistration(launch: ServerLaunch(command: "/p", configPath: "/c"), password: nil)
        #expect(plain.printableLine == "claude mcp add --scope user --env PURSE_SESSION_LABEL=claude-code purse -- /p serve --config /c")
    }

    @Test func fundingPointsTestnetsAtTheFaucet() {
        #expect(Funding.advice(network: "eip155:84532", address: "0xA").contains("https://faucet.circle.com"))
        #expect(Funding.advice(network: "eip155:84532", address: "0xA").contains("Base Sepolia"))
        #expect(Funding.advice(network: "eip155:8453", address: "0xA").contains("real money"))
    }
}
