import ArgumentParser
import Foundation
import PurseSetup
import Wallet
import X402

/// `purse init`: the first run in one command — an encrypted keystore, a testnet config with
/// safe defaults, and `purse serve` registered in the human's LLM host.
///
/// It plans first (what exists, what each host file would become), asks once unless `--yes`,
/// then writes: keystore, config, hosts, each atomically, so an interruption leaves every file
/// complete or absent, and a re-run picks up where it stopped. A second run on a finished set-up
/// writes nothing and says so.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Set up Purse: an encrypted keystore, a testnet config, and the MCP server registered in your LLM host.",
        discussion: """
            The keystore password comes from --password-env NAME (the variable must be set now), from \
            --password-command (a command that prints it, such as "secret-tool lookup service purse"), \
            or from a prompt. Every host file is backed up before it is changed; one that is not JSON \
            is left untouched.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Where to register: claude-desktop, claude-code, cursor, vscode, or none (print the snippet). Repeat for several.")
    var host: [String] = []

    @Option(name: .long, help: "The CAIP-2 network to pay on (default: eip155:84532, Base Sepolia, a testnet).")
    var network = "eip155:84532"

    @Option(name: .customLong("rpc-url"), help: "The network's JSON-RPC URL (default: its public endpoint).")
    var rpcURL: String?

    @Option(name: .customLong("password-env"), help: "The environment variable holding the keystore password (it must be set now).")
    var passwordEnv: String?

    @Option(name: .customLong("password-command"), help: "A command that prints the keystore password, run without a shell (words split like a shell would, no expansion).")
    var passwordCommand: String?

    @Option(name: .long, help: "The keystore path (default: keystore.json next to the config).")
    var keystore: String?

    @Option(name: .long, help: "Key derivation for a new keystore: scrypt (default) or pbkdf2.")
    var kdf = "scrypt"

    @Flag(name: .long, help: "Do not ask for confirmation.")
    var yes = false

    /// What the wallet half of init decided.
    struct WalletPlan {
        var configPath: String
        var keystorePath: String
        var source: KeystorePassword
        /// The password, when known (needed to create or open the keystore, and for host `env`).
        var password: String?
        var createKeystore: Bool
        var writeConfig: Bool
        var configText: String?
        var address: String?
        var network: String
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let hosts = try parsedHosts()
        var wallet = try planWallet(environment: environment)
        let launch = ServerLaunch(command: SelfExecutable.path, configPath: wallet.configPath,
                                  dbPath: global.db.map(Self.absolute), passwordEnv: {
                                      if case let .environment(name) = wallet.source { return name }
                                      return nil
                                  }())
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        var hostPlans = planHosts(hosts, launch: launch, password: wallet.password, home: home, environment: environment)

        let changes = (wallet.createKeystore ? 1 : 0) + (wallet.writeConfig ? 1 : 0) + hostPlans.filter(\.changes).count
        if changes > 0 {
            showPlan(wallet, hostPlans)
            try confirm(mainnet: Network.parse(wallet.network)?.isTestnet != true && wallet.writeConfig)
        }

        var wrote = try applyWallet(&wallet)
        var failed = hostPlans.contains { $0.error != nil }
        for i in hostPlans.indices where hostPlans[i].error == nil {
            do { wrote = try applyHost(&hostPlans[i], launch: launch, password: wallet.password, environment: environment) || wrote } catch {
                hostPlans[i].error = error
                failed = true
            }
        }
        for plan in hostPlans { report(plan) }
        summarize(wallet, hosts: hostPlans, wroteAnything: wrote)
        if failed { throw ExitCode(CLIExit.failure) }
    }

    // MARK: - Options

    private func parsedHosts() throws -> [HostKind?] {
        guard !host.isEmpty else { return [nil] }
        var out = [HostKind?]()
        for name in host {
            if name == "none" { out.append(nil); continue }
            guard let kind = HostKind(rawValue: name) else {
                throw ValidationError("--host must be claude-desktop, claude-code, cursor, vscode or none (got \(name))")
            }
            if !out.contains(kind) { out.append(kind) }
        }
        return out
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return FileManager.default.currentDirectoryPath + "/" + path
    }

    // MARK: - Keystore and config

    private func planWallet(environment: [String: String]) throws -> WalletPlan {
        guard let net = Network.parse(network), net.isEVM, net.caip2 == network else {
            throw ValidationError("--network must be a CAIP-2 EVM id such as eip155:84532 (got \(network))")
        }
        if let rpcURL, !(rpcURL.hasPrefix("http://") || rpcURL.hasPrefix("https://")) {
            throw ValidationError("--rpc-url must be an http:// or https:// URL")
        }
        if passwordEnv != nil && passwordCommand != nil { throw ValidationError("give --password-env or --password-command, not both") }
        if let name = passwordEnv, name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) || name.first!.isNumber {
            throw ValidationError("--password-env must be an environment variable name such as PURSE_KEY_PASSWORD")
        }
        _ = try KeygenCommand.kdfParams(kdf)  // a bad --kdf is refused before anything is asked
        let configPath = Self.absolute(PurseConfig.defaultPath(explicit: global.config, environment: environment))

        if FileManager.default.fileExists(atPath: configPath) {
            return try planExisting(configPath: configPath, environment: environment)
        }

        let source: KeystorePassword
        let password: String
        if let command = passwordCommand {
            guard let argv = CommandWords.split(command), !argv.isEmpty else {
                throw ValidationError("--password-command: give a command such as \"secret-tool lookup service purse\" (a quote is not closed?)")
            }
            source = .command(argv: argv, timeoutSeconds: KeystorePassword.defaultCommandTimeoutSeconds)
            do { password = try KeyLoader.password(source, environment: environment) } catch { throw CLIExit.fail(error) }
        } else if let name = passwordEnv {
            guard let value = environment[name], !value.isEmpty else {
                throw CLIExit.fail(SetupError("init.password_env_unset", "\(name) is not set (or empty): export \(name)=… with the keystore password, then run init again"))
            }
            source = .environment(name)
            password = value
        } else {
            guard PasswordPrompt.canAsk else {
                throw CLIExit.fail(SetupError("init.password_needed", "no keystore password: give --password-env NAME or --password-command CMD, or run init in a terminal to be asked"))
            }
            source = .environment("PURSE_KEY_PASSWORD")
            password = try PasswordPrompt.newPassword()
        }

        let keystorePath = Self.absolute(keystore ?? AtomicFile.directory(of: configPath) + "/keystore.json")
        var address: String?
        var create = true
        if FileManager.default.fileExists(atPath: keystorePath) {
            do { address = try KeystoreFile.address(at: keystorePath, password: password).checksummed } catch {
                throw CLIExit.fail(SetupError("init.keystore_exists", "\(keystorePath) already exists and this password does not open it (\(error.message)); Purse never overwrites a keystore: give its password, or --keystore ANOTHER_PATH"))
            }
            create = false
        }
        let starter = StarterConfig(keystorePath: keystorePath, password: source, network: network, rpcUrl: rpcURL,
                                    db: global.db.map(Self.absolute))
        // The file must load as every command will load it.
        do { _ = try PurseConfig.parse(Array(starter.text.utf8)) } catch { throw CLIExit.fail(error) }
        return WalletPlan(configPath: configPath, keystorePath: keystorePath, source: source, password: password, createKeystore: create,
                          writeConfig: true, configText: starter.text, address: address, network: network)
    }

    /// An existing config is kept as it is: init only reads it (and registers hosts with it).
    private func planExisting(configPath: String, environment: [String: String]) throws -> WalletPlan {
        let config: PurseConfig
        do { config = try PurseConfig.load(path: configPath, mustExist: true) } catch {
            throw CLIExit.fail(SetupError("init.config_invalid", "\(configPath) exists but does not load (\(error.message)); init leaves it alone: fix it, or move it away to start over"))
        }
        guard case let .keystore(path, source)? = config.key else {
            throw CLIExit.fail(SetupError("init.config_has_no_key", "\(configPath) exists but names no keystore; init leaves it alone: add \"key\": {\"keystore\": PATH, \"passwordEnv\": NAME} (purse keygen makes one), or move the file away to start over"))
        }
        var ignored = [String]()
        if let name = passwordEnv, source != .environment(name) { ignored.append("--password-env") }
        if let command = passwordCommand {
            var same = false
            if case let .command(argv, _) = source { same = CommandWords.split(command) == argv }
            if !same { ignored.append("--password-command") }
        }
        if let keystore, Self.absolute(keystore) != path { ignored.append("--keystore") }
        if !config.allowedNetworks.contains(network) { ignored.append("--network") }
        if let rpcURL, config.rpcURL(network: network) != rpcURL { ignored.append("--rpc-url") }
        if !ignored.isEmpty {
            stderr("purse: \(configPath) exists and init leaves it as it is, so \(ignored.joined(separator: ", ")) \(ignored.count == 1 ? "is" : "are") not applied; edit the file to change that")
        }
        var password: String?
        if case let .environment(name) = source { password = environment[name] }
        var address: String?
        if let (key, _) = try? KeyLoader.load(config: config, environment: environment.filter { $0.key != "PURSE_PRIVATE_KEY" }) {
            address = key.address.checksummed
        } else {
            address = KeystoreFile.recordedAddress(at: path)?.checksummed
        }
        return WalletPlan(configPath: configPath, keystorePath: path, source: source, password: password, createKeystore: false,
                          writeConfig: false, configText: nil, address: address, network: config.allowedNetworks.first ?? network)
    }

    /// Creates the keystore, then the config; returns whether anything was written.
    private func applyWallet(_ plan: inout WalletPlan) throws -> Bool {
        var wrote = false
        if plan.createKeystore, let password = plan.password {
            let params = try KeygenCommand.kdfParams(kdf)
            do {
                try AtomicFile.ensureDirectory(AtomicFile.directory(of: plan.keystorePath), mode: 0o700)
                plan.address = try KeystoreFile.create(at: plan.keystorePath, password: password, kdf: params).checksummed
            } catch { throw CLIExit.fail(error) }
            wrote = true
        }
        if plan.writeConfig, let text = plan.configText {
            do {
                try AtomicFile.ensureDirectory(AtomicFile.directory(of: plan.configPath), mode: 0o700)
                try AtomicFile.write(Array(text.utf8), to: plan.configPath, mode: 0o600, replace: false)
            } catch { throw CLIExit.fail(error) }
            wrote = true
        }
        return wrote
    }

    // MARK: - Talking to the human

    private func showPlan(_ wallet: WalletPlan, _ hosts: [HostPlan]) {
        var lines = ["Purse init will:"]
        if wallet.createKeystore { lines.append("  create an encrypted keystore at \(wallet.keystorePath) (mode 0600)") }
        if wallet.writeConfig { lines.append("  write \(wallet.configPath) (\(Self.networkName(wallet.network)), default budgets, approval above $0.05)") }
        for plan in hosts where plan.changes { lines.append("  " + plan.intent) }
        stdout(lines.joined(separator: "\n") + "\n")
    }

    private func confirm(mainnet: Bool) throws {
        if mainnet { stderr("purse: warning: \(network) is a MAINNET: payments will spend real money") }
        if yes { return }
        guard PasswordPrompt.canAsk else {
            throw CLIExit.fail(SetupError("init.not_confirmed", "init changes files; run it in a terminal to confirm, or add --yes"))
        }
        FileHandle.standardError.write(Data("Proceed? [y/N] ".utf8))
        let answer = readLine(strippingNewline: true)?.lowercased() ?? ""
        guard answer == "y" || answer == "yes" else {
            throw CLIExit.fail(SetupError("init.not_confirmed", "nothing was changed"))
        }
    }

    static func networkName(_ network: String) -> String {
        let net = Network.parse(network)
        let name = net?.displayName.map { "\($0) (\(network))" } ?? network
        return name + (net?.isTestnet == true ? ", a testnet" : ", a MAINNET")
    }

    private func summarize(_ wallet: WalletPlan, hosts: [HostPlan], wroteAnything: Bool) {
        let claudeLineLeft = hosts.contains { $0.host == .claudeCode && $0.error == nil && !$0.claudeUpToDate && $0.claudeBinary == nil }
        var out: String
        if claudeLineLeft {
            out = "\nPurse is set up; one step is left: run the `claude mcp add` line above.\n"
        } else if wroteAnything {
            out = "\nPurse is set up.\n"
        } else {
            out = "\nNothing to change: Purse is already set up here.\n"
        }
        if let address = wallet.address { out += "  address   \(address)\n" }
        out += "  network   \(Self.networkName(wallet.network))\n"
        out += "  config    \(wallet.configPath)\n"
        out += "  keystore  \(wallet.keystorePath)\n"
        switch wallet.source {
        case let .environment(name): out += "  password  from $\(name)\n"
        case let .command(argv, _): out += "  password  from the command \(argv.joined(separator: " "))\n"
        }
        if let address = wallet.address {
            out += "\nFund it: \(Funding.advice(network: wallet.network, address: address)).\n"
        }
        let restart = hosts.compactMap { $0.host }.filter { $0 != .claudeCode }.map(\.displayName)
        if !restart.isEmpty { out += "Then restart \(restart.joined(separator: " and ")) so it starts Purse.\n" }
        out += "Check everything with: purse doctor\n"
        stdout(out)
    }
}
