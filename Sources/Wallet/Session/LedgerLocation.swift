import Foundation
import Ledger

/// Where the ledger is, decided in one place for every command and for `serve`: `--db`, else
/// `PURSE_DB`, else the config's `db`, else `$XDG_DATA_HOME/purse/purse.db`, else
/// `~/.local/share/purse/purse.db`. A file path means SQLite; a `postgresql://` or
/// `postgres://` URL means PostgreSQL (`LedgerStore`), with the password read from the
/// environment variable the config names (`dbPasswordEnv`).
public enum LedgerLocation {
    /// Resolves the location.
    public static func resolve(explicit: String?, configured: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let p = environment["PURSE_DB"], !p.isEmpty { return p }
        if let configured, !configured.isEmpty { return configured }
        if let x = environment["XDG_DATA_HOME"], x.hasPrefix("/") { return x + "/purse/purse.db" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.local/share/purse/purse.db"
    }

    /// Whether a ledger already exists there (reports on a ledger that does not exist show
    /// nothing rather than creating one). A PostgreSQL database is taken to exist: connecting
    /// tells.
    public static func exists(_ location: String) -> Bool {
        LedgerStore.isPostgres(location) || FileManager.default.fileExists(atPath: location)
    }

    /// The location as it may be printed (a URL without anything secret).
    public static func display(_ location: String) -> String { LedgerStore.display(location) }

    /// Opens the ledger at `location`; for PostgreSQL the password is the value of the
    /// environment variable named `passwordEnv` (none when unset).
    public static func open(_ location: String, passwordEnv: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(LedgerError) -> any PaymentLedger {
        let password = passwordEnv.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        return try LedgerStore.open(location, password: password)
    }
}
