/// How a process opens its wallet: where the config and ledger are, and what kind of session it is.
public struct WalletOptions: Sendable {
    /// `--config`, when given.
    public var configPath: String?
    /// `--db`, when given.
    public var dbPath: String?
    /// The process environment.
    public var environment: [String: String]
    /// `serve`, `fetch`, … recorded on the session.
    public var sessionKind: String

    /// Creates options.
    public init(configPath: String?, dbPath: String?, environment: [String: String], sessionKind: String) {
        self.configPath = configPath
        self.dbPath = dbPath
        self.environment = environment
        self.sessionKind = sessionKind
    }

    /// The ledger path: `--db`, else `PURSE_DB`, else the config's `db`, else `$XDG_DATA_HOME/purse/purse.db`.
    public func ledgerPath(config: PurseConfig) -> String {
        if let dbPath { return dbPath }
        if let p = environment["PURSE_DB"], !p.isEmpty { return p }
        if let p = config.db { return p }
        if let x = environment["XDG_DATA_HOME"], !x.isEmpty { return x + "/purse/purse.db" }
        return (environment["HOME"] ?? "/tmp") + "/.local/share/purse/purse.db"
    }
}
