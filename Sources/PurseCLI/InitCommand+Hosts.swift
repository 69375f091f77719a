import Foundation
import PurseCore
import PurseSetup
import Wallet

extension InitCommand {
    /// One `--host`: what will happen to it, then what did.
    struct HostPlan {
        /// The host (nil for `--host none`).
        var host: HostKind?
        /// Its config file (for Claude Code, `~/.claude.json`, read only).
        var path = ""
        /// The file edit: previewed, then done.
        var outcome: HostConfigFile.Outcome?
        /// The Claude Code registration, and whether an older one must be removed first.
        var claude: ClaudeCodeRegistration?
        var claudeRegistered = false
        var claudeUpToDate = false
        /// The `claude` binary, when on `PATH`.
        var claudeBinary: String?
        /// Why this host was refused; other hosts still proceed.
        var error: (any Error)?

        /// Whether applying this plan changes a file or runs a command.
        var changes: Bool {
            guard error == nil, let host else { return false }
            if host == .claudeCode { return !claudeUpToDate && claudeBinary != nil }
            return outcome != .unchanged
        }

        /// One line for the plan shown before asking.
        var intent: String {
            guard let host else { return "" }
            if host == .claudeCode { return "run `claude mcp add --scope user purse …` for \(host.displayName)" }
            switch outcome {
            case .created?: return "create \(path) for \(host.displayName)"
            case .updated?: return "update the purse entry in \(path) (backup first)"
            default: return "add purse to \(path) (backup first)"
            }
        }
    }

    /// Reads every host's file and decides what to do, writing nothing.
    func planHosts(_ hosts: [HostKind?], launch: ServerLaunch, password: String?, home: String, environment: [String: String]) -> [HostPlan] {
        hosts.map { host in
            var plan = HostPlan(host: host)
            guard let host else { return plan }
            plan.path = host.configPath(platform: .current, home: home, environment: environment)
            if let name = launch.passwordEnv, password == nil, host != .vscode {
                plan.error = SetupError("init.password_env_unset", "\(name) is not set: \(host.displayName) needs the keystore password in its server entry; export \(name)=… and run init again (or use key.passwordCommand)")
                return plan
            }
            if host == .claudeCode {
                let registration = ClaudeCodeRegistration(launch: launch, password: password)
                plan.claude = registration
                let existing = try? HostConfigFile(host: .claudeCode, path: plan.path).registeredEntry()
                plan.claudeRegistered = existing != nil
                plan.claudeUpToDate = registration.matches(existing)
                plan.claudeBinary = ChildProcess.find("claude", path: environment["PATH"])
                return plan
            }
            do {
                plan.outcome = try HostConfigFile(host: host, path: plan.path).preview(entry: launch.entry(for: host, password: password))
            } catch {
                plan.error = error
            }
            return plan
        }
    }

    /// Carries out one host's plan; returns whether it wrote or ran anything.
    func applyHost(_ plan: inout HostPlan, launch: ServerLaunch, password: String?, environment: [String: String]) throws -> Bool {
        guard let host = plan.host else {
            printSnippet(launch)
            return false
        }
        if host == .claudeCode { return try applyClaudeCode(&plan, environment: environment) }
        guard plan.outcome != .unchanged else { return false }
        let secret = launch.passwordEnv != nil && host != .vscode
        plan.outcome = try HostConfigFile(host: host, path: plan.path).register(entry: launch.entry(for: host, password: password), secret: secret, now: Date())
        return true
    }

    private func applyClaudeCode(_ plan: inout HostPlan, environment: [String: String]) throws -> Bool {
        guard let registration = plan.claude, !plan.claudeUpToDate else { return false }
        guard let claude = plan.claudeBinary else { return false }
        if plan.claudeRegistered {
            _ = try? ChildProcess.run([claude] + ClaudeCodeRegistration.removeArguments.dropFirst(), environment: environment,
                                      timeoutSeconds: 60, captureOutput: false)
        }
        let argv = [claude] + registration.addArguments.dropFirst()
        let outcome: ChildProcess.Outcome
        do {
            outcome = try ChildProcess.run(argv, environment: environment, timeoutSeconds: 60, captureOutput: false)
        } catch {
            throw SetupError("init.claude_failed", "`claude mcp add` did not run (\(error)); run it by hand:\n  \(registration.printableLine)")
        }
        guard outcome.exitCode == 0, outcome.signal == 0 else {
            throw SetupError("init.claude_failed", "`claude mcp add` failed (exit \(outcome.exitCode)); run it by hand:\n  \(registration.printableLine)")
        }
        return true
    }

    /// `--host none`: the entry to paste, with the password left for the human to fill in.
    private func printSnippet(_ launch: ServerLaunch) {
        let entry = launch.entry(for: nil, password: launch.passwordEnv == nil ? nil : "<your keystore password>")
        let doc: JSONValue = .object(JSONObject([JSONMember("mcpServers", .object(JSONObject([JSONMember(ServerLaunch.serverName, entry)])))]))
        stdout("Add this to your MCP host's config (Claude Desktop, Cursor: \"mcpServers\"; VS Code: \"servers\" with \"type\": \"stdio\"):\n")
        stdout(doc.prettyEncoded() + "\n")
        let claude = ClaudeCodeRegistration(launch: launch, password: launch.passwordEnv == nil ? nil : "")
        stdout("For Claude Code:\n  \(claude.printableLine)\n")
    }

    /// Says what happened to one host (errors on stderr, with their code).
    func report(_ plan: HostPlan) {
        guard let host = plan.host else { return }
        if let error = plan.error {
            if let coded = error as? any CodedError { stderr("purse: error: \(host.displayName): \(coded.message) [\(coded.code)]") } else { stderr("purse: error: \(host.displayName): \(error)") }
            return
        }
        if host == .claudeCode {
            guard let registration = plan.claude else { return }
            if plan.claudeUpToDate {
                stdout("\(host.displayName): already registered (user scope, \(plan.path)); unchanged.\n")
            } else if plan.claudeBinary != nil {
                stdout("\(host.displayName): registered with\n  \(registration.printableLine)\n")
            } else {
                stdout("\(host.displayName): `claude` is not on PATH; register Purse by running:\n  \(registration.printableLine)\n")
            }
            return
        }
        switch plan.outcome {
        case .unchanged?: stdout("\(host.displayName): already registered in \(plan.path); unchanged.\n")
        case .created?: stdout("\(host.displayName): created \(plan.path) with purse.\n")
        case let .added(backup, others)?:
            stdout("\(host.displayName): added purse to \(plan.path) (\(others) other server\(others == 1 ? "" : "s") kept; backup \(backup)).\n")
        case let .updated(backup, _)?: stdout("\(host.displayName): updated the purse entry in \(plan.path) (backup \(backup)).\n")
        case nil: break
        }
    }
}
