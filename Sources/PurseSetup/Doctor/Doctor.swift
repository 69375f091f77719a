import ChainRPC
import EVM
import Foundation
import HTTP
import Ledger
import PurseCore
import Solana
import Wallet
import X402

/// `purse doctor`: checks, one by one, everything a payment depends on, and says how to fix
/// what is wrong.
///
/// Order: config → key → key file mode → the Solana key (when a Solana network is allowed) →
/// each allowed network's RPC (on Solana also each mint) and balances → funds → ledger → hosts
/// → the `purse` on `PATH`. A check that cannot run because an earlier one
/// failed says so instead of guessing. Nothing here prints, stores or returns the key or the
/// keystore password.
public struct Doctor: Sendable {
    /// The config path in effect (`--config`, `PURSE_CONFIG` or the default).
    public var configPath: String
    /// Whether the path was given explicitly (then a missing file is an error, as for every command).
    public var configExplicit: Bool
    /// `--db`, when given.
    public var dbPath: String?
    /// The environment (key, password variable, `PATH`, `XDG_*`).
    public var environment: [String: String]
    /// The home directory whose host files are read.
    public var home: String
    /// Whose host paths apply.
    public var platform: HostPlatform
    /// The running binary.
    public var selfPath: String
    /// The HTTP client for RPC; nil means libcurl with the config's `http` settings.
    public var http: (any HTTPClient)?

    /// Creates a doctor.
    public init(configPath: String, configExplicit: Bool, dbPath: String?, environment: [String: String], home: String,
                platform: HostPlatform = .current, selfPath: String = SelfExecutable.path, http: (any HTTPClient)? = nil) {
        self.configPath = configPath
        self.configExplicit = configExplicit
        self.dbPath = dbPath
        self.environment = environment
        self.home = home
        self.platform = platform
        self.selfPath = selfPath
        self.http = http
    }

    /// Runs every check.
    ///
    /// Key derivation, a password command, SQLite and file reads block: they run on a dispatch
    /// queue, not on Swift's cooperative pool (two threads on the project's machine).
    public func run() async -> DoctorReport {
        let (first, config, key, solanaKey) = await Self.blocking { () -> ([DoctorCheck], PurseConfig?, PrivateKey?, SolanaPublicKey?) in
            var checks = [DoctorCheck]()
            let config = self.checkConfig(&checks)
            var key: PrivateKey?
            var solanaKey: SolanaPublicKey?
            if let config {
                key = self.checkKey(config, &checks)
                self.checkKeyFileMode(config, &checks)
                solanaKey = self.checkSolanaKey(config, &checks)
            }
            return (checks, config, key, solanaKey)
        }
        var checks = first
        let address = key?.address.checksummed
        if let config {
            await checkNetworks(config, address: address, solana: solanaKey, &checks)
            checks += await Self.blocking {
                var ledger = [DoctorCheck]()
                self.checkLedger(config, &ledger)
                return ledger
            }
        }
        checks += await Self.blocking {
            var rest = [DoctorCheck]()
            self.checkHosts(config, &rest)
            self.checkPath(&rest)
            return rest
        }
        return DoctorReport(checks: checks, address: address)
    }

    /// Runs blocking work on a global dispatch queue and awaits its result.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: body()) }
        }
    }

    // MARK: - Config and key

    private func checkConfig(_ checks: inout [DoctorCheck]) -> PurseConfig? {
        guard FileManager.default.fileExists(atPath: configPath) else {
            if configExplicit {
                checks.append(DoctorCheck(id: "config", title: "config", status: .fail, detail: "no config file at \(configPath)",
                                          fix: "run `purse init`, or give the right --config"))
                return nil
            }
            checks.append(DoctorCheck(id: "config", title: "config", status: .warn, detail: "no config file at \(configPath); using the defaults",
                                      fix: "run `purse init` to write one"))
            return PurseConfig()
        }
        do {
            let config = try PurseConfig.load(path: configPath, mustExist: true)
            checks.append(DoctorCheck(id: "config", title: "config", status: .ok, detail: "\(configPath) loads and validates"))
            return config
        } catch {
            checks.append(DoctorCheck(id: "config", title: "config", status: .fail, detail: "\(error.message) [\(error.code)]",
                                      fix: "edit \(configPath) (schemas/config.schema.json lists every key)"))
            return nil
        }
    }

    private func checkKey(_ config: PurseConfig, _ checks: inout [DoctorCheck]) -> PrivateKey? {
        do {
            let (key, source) = try KeyLoader.load(config: config, environment: environment)
            let from: String = switch source {
            case .environment: "from PURSE_PRIVATE_KEY"
            case let .file(p): "from the key file \(p)"
            case let .keystore(p): "from the keystore \(p)"
            }
            checks.append(DoctorCheck(id: "key", title: "key", status: .ok, detail: "address \(key.address.checksummed), \(from)"))
            return key
        } catch {
            checks.append(DoctorCheck(id: "key", title: "key", status: .fail, detail: "\(error.message) [\(error.code)]", fix: keyFix(error, config)))
            return nil
        }
    }

    private func keyFix(_ error: KeyLoadError, _ config: PurseConfig) -> String {
        switch error.code {
        case "key.not_configured": return "run `purse init`"
        case "key.password_missing":
            if case let .keystore(_, .environment(name))? = config.key {
                return "export \(name) in this shell to check; hosts get it from their server entry's env (or switch to key.passwordCommand)"
            }
            return "set the keystore password variable"
        case "key.password_command_not_found", "key.password_command_failed", "key.password_command_timeout", "key.password_command_empty":
            return "run the key.passwordCommand of \(configPath) by hand: it must print the keystore password and exit 0"
        case "keystore.wrong_password": return "the password does not open the keystore: fix the password source in \(configPath)"
        case "key.file_permissions", "key.file_unreadable": return "check the key path in \(configPath) (and its mode: chmod 600)"
        default: return "see the error above"
        }
    }

    private func checkKeyFileMode(_ config: PurseConfig, _ checks: inout [DoctorCheck]) {
        let path: String
        let what: String
        switch config.key {
        case let .file(p)?: path = p; what = "key file"
        case let .keystore(p, _)?: path = p; what = "keystore"
        case nil:
            checks.append(DoctorCheck(id: "keystore_mode", title: "key file", status: .skip, detail: "no key file configured"))
            return
        }
        if environment["PURSE_PRIVATE_KEY"] != nil {
            checks.append(DoctorCheck(id: "keystore_mode", title: "key file", status: .skip, detail: "PURSE_PRIVATE_KEY is set and wins over the \(what) \(path)"))
            return
        }
        var st = stat()
        guard stat(path, &st) == 0 else {
            checks.append(DoctorCheck(id: "keystore_mode", title: "key file", status: .fail, detail: "the \(what) \(path) does not exist",
                                      fix: "run `purse init`, or fix the path in \(configPath)"))
            return
        }
        let mode = String(st.st_mode & 0o777, radix: 8)
        if st.st_mode & 0o077 == 0 {
            checks.append(DoctorCheck(id: "keystore_mode", title: "key file", status: .ok, detail: "\(path) is mode 0\(mode) (only you can read it)"))
        } else {
            checks.append(DoctorCheck(id: "keystore_mode", title: "key file", status: .fail, detail: "\(path) is mode 0\(mode): other users can read it",
                                      fix: "chmod 600 \(path)"))
        }
    }

    // MARK: - Chain

    private func checkNetworks(_ config: PurseConfig, address: String?, solana: SolanaPublicKey?, _ checks: inout [DoctorCheck]) async {
        let client: any HTTPClient = http ?? CurlHTTPClient(options: HTTPOptions(config: config.http))
        var anyFunds = false
        var anyBalanceRead = false
        /// The first network that answered and the wallet's address there, for the funding advice.
        var funding: (network: String, address: String)?
        for network in config.allowedNetworks {
            let title = Network.parse(network)?.displayName ?? network
            let id = "network.\(network)"
            if Network.parse(network)?.family == .solana {
                let outcome = await checkSolanaNetwork(network, config: config, http: client, owner: solana, &checks)
                anyFunds = anyFunds || outcome.funds
                anyBalanceRead = anyBalanceRead || outcome.balanceRead
                if outcome.answered, funding == nil, let solana { funding = (network, solana.base58) }
                continue
            }
            guard let url = config.rpcURL(network: network) else {
                checks.append(DoctorCheck(id: id, title: "network", status: .fail, detail: "\(title) (\(network)): no RPC endpoint",
                                          fix: "add networks.\(network).rpcUrl to \(configPath)"))
                continue
            }
            let rpc = ChainRPCClient(url: url, http: client)
            let chain: UInt64
            do { chain = try await rpc.chainId() } catch {
                checks.append(DoctorCheck(id: id, title: "network", status: .fail, detail: "\(title) (\(network)): \(url) does not answer: \(error.message)",
                                          fix: "check networks.\(network).rpcUrl in \(configPath), or your connection"))
                continue
            }
            if let expected = Network.parse(network)?.chainId, expected != chain {
                checks.append(DoctorCheck(id: id, title: "network", status: .fail, detail: "\(title) (\(network)): \(url) serves chain \(chain), not \(expected)",
                                          fix: "point networks.\(network).rpcUrl at a \(title) node"))
                continue
            }
            checks.append(DoctorCheck(id: id, title: "network", status: .ok, detail: "\(title) (\(network)): \(url) answers (chain \(chain))"))
            guard let address else { continue }
            if funding == nil { funding = (network, address) }
            let (balances, failures) = await BalanceReader(config: config, http: client, address: address).read(network: network)
            for b in balances {
                anyBalanceRead = true
                let positive = b.atomic != "0"
                anyFunds = anyFunds || positive
                checks.append(DoctorCheck(id: "balance.\(network).\(b.asset.lowercased())", title: "balance", status: positive ? .ok : .warn,
                                          detail: "\(b.amount) \(b.symbol) on \(title) (token \(b.asset))",
                                          fix: positive ? nil : Funding.advice(network: network, address: address)))
            }
            for f in failures {
                checks.append(DoctorCheck(id: "balance.\(network).\((f.asset ?? "").lowercased())", title: "balance", status: .fail,
                                          detail: "\(f.asset.map { "token \($0)" } ?? "tokens") on \(title): \(f.error)",
                                          fix: "check the token address and networks.\(network) in \(configPath)"))
            }
        }
        guard address != nil || solana != nil else {
            checks.append(DoctorCheck(id: "funds", title: "funds", status: .skip, detail: "not checked: the key did not load"))
            return
        }
        if anyFunds {
            checks.append(DoctorCheck(id: "funds", title: "funds", status: .ok, detail: "the wallet holds tokens it may pay with"))
        } else if anyBalanceRead {
            checks.append(DoctorCheck(id: "funds", title: "funds", status: .fail, detail: "every allowed token balance is 0: nothing can be paid",
                                      fix: funding.map { Funding.advice(network: $0.network, address: $0.address) }))
        } else {
            checks.append(DoctorCheck(id: "funds", title: "funds", status: .skip, detail: "not checked: no balance could be read"))
        }
    }

    // MARK: - Ledger

    private func checkLedger(_ config: PurseConfig, _ checks: inout [DoctorCheck]) {
        let raw = LedgerLocation.resolve(explicit: dbPath, configured: config.db, environment: environment)
        let location = LedgerLocation.display(raw)
        let existed = LedgerLocation.exists(raw)
        do {
            let health = try LedgerLocation.open(raw, passwordEnv: config.dbPasswordEnv, environment: environment).health()
            let detail = "\(location)\(existed ? "" : " (created)"): \(health.backend) schema \(health.schemaVersion), integrity \(health.integrity), "
                + (health.writable ? "writable" : "not writable")
            if health.integrityOK && health.writable && health.schemaVersion == health.latestSchemaVersion {
                checks.append(DoctorCheck(id: "ledger", title: "ledger", status: .ok, detail: detail))
                if let warning = LedgerAdvice.weakTLSWarning(location: raw) {
                    checks.append(DoctorCheck(id: "ledger_tls", title: "ledger TLS", status: .warn, detail: warning,
                                              fix: "add sslmode=verify-full&sslrootcert=PATH (the server's CA) to the ledger URL"))
                }
            } else {
                checks.append(DoctorCheck(id: "ledger", title: "ledger", status: .fail, detail: detail,
                                          fix: LedgerAdvice.healthFix(location: raw, health: health)))
            }
        } catch {
            checks.append(DoctorCheck(id: "ledger", title: "ledger", status: .fail, detail: "\(error.message) [\(error.code)]",
                                      fix: LedgerAdvice.openFix(location: raw, error: error, passwordEnv: config.dbPasswordEnv, environment: environment)))
        }
    }

    // MARK: - Hosts and PATH

    private func checkHosts(_ config: PurseConfig?, _ checks: inout [DoctorCheck]) {
        var registered = 0
        for host in HostKind.allCases {
            let path = host.configPath(platform: platform, home: home, environment: environment)
            let id = "host.\(host.rawValue)"
            let entry: JSONValue?
            do { entry = try HostConfigFile(host: host, path: path).registeredEntry() } catch {
                checks.append(DoctorCheck(id: id, title: "host", status: .warn, detail: "\(host.displayName): \(error.message)",
                                          fix: "fix \(path) by hand"))
                continue
            }
            guard let entry else {
                let why = FileManager.default.fileExists(atPath: path) ? "Purse is not registered in \(path)" : "no config at \(path)"
                checks.append(DoctorCheck(id: id, title: "host", status: .skip, detail: "\(host.displayName): \(why)"))
                continue
            }
            registered += 1
            checks.append(hostCheck(host, id: id, path: path, entry: entry, config: config))
        }
        if registered == 0 {
            checks.append(DoctorCheck(id: "hosts", title: "hosts", status: .warn, detail: "Purse is registered in no host",
                                      fix: "run `purse init --host claude-desktop|claude-code|cursor|vscode`"))
        }
    }

    private func hostCheck(_ host: HostKind, id: String, path: String, entry: JSONValue, config: PurseConfig?) -> DoctorCheck {
        let command = entry["command"]?.stringValue ?? ""
        let args = entry["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let line = ([command] + args).joined(separator: " ")
        let rerun = "run `purse init --host \(host.rawValue)` to register this purse"
        guard let resolved = ChildProcess.find(command, path: environment["PATH"]) else {
            return DoctorCheck(id: id, title: "host", status: .fail, detail: "\(host.displayName) runs `\(line)`, but \(command.isEmpty ? "no command is given" : "\(command) does not exist")",
                               fix: rerun)
        }
        if !SelfExecutable.sameFile(resolved, selfPath) {
            return DoctorCheck(id: id, title: "host", status: .warn, detail: "\(host.displayName) runs `\(line)`, another binary than this one (\(selfPath))",
                               fix: rerun)
        }
        if let i = args.firstIndex(of: "--config"), i + 1 < args.count, !SelfExecutable.sameFile(args[i + 1], configPath) {
            return DoctorCheck(id: id, title: "host", status: .warn, detail: "\(host.displayName) runs `\(line)` with another config than \(configPath)",
                               fix: "run doctor with --config \(args[i + 1]) to check that one, or \(rerun)")
        }
        if case let .keystore(_, .environment(name))? = config?.key, environment["PURSE_PRIVATE_KEY"] == nil,
           entry["env"]?[name] == nil, host != .claudeCode {
            return DoctorCheck(id: id, title: "host", status: .warn, detail: "\(host.displayName) runs this purse but does not pass \(name), so it cannot open the keystore",
                               fix: "\(rerun), or use key.passwordCommand")
        }
        return DoctorCheck(id: id, title: "host", status: .ok, detail: "\(host.displayName) runs this purse: `\(line)`")
    }

    private func checkPath(_ checks: inout [DoctorCheck]) {
        guard let found = ChildProcess.find("purse", path: environment["PATH"]) else {
            checks.append(DoctorCheck(id: "path", title: "PATH", status: .warn, detail: "no purse on PATH (hosts registered by init use the full path \(selfPath))",
                                      fix: "install it, e.g. cp \(selfPath) /usr/local/bin/"))
            return
        }
        if SelfExecutable.sameFile(found, selfPath) {
            checks.append(DoctorCheck(id: "path", title: "PATH", status: .ok, detail: "purse on PATH is this binary (\(found))"))
        } else {
            checks.append(DoctorCheck(id: "path", title: "PATH", status: .warn, detail: "purse on PATH is \(found), not this binary (\(selfPath))",
                                      fix: "reinstall, or put \(AtomicFile.directory(of: selfPath)) first on PATH"))
        }
    }
}
