/// How a command opens the wallet: the paths it was given and its environment.
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

    /// The ledger location for `config` (`LedgerLocation.resolve`).
    public func ledgerLocation(config: PurseConfig) -> String {
        LedgerLocation.resolve(explicit: dbPath, configured: config.db, environment: environment)
    }
}
