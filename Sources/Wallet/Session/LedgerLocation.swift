import Foundation
import Ledger

/// Where the ledger is, decided in one place for every command and for `serve`: `--db`, else
/// `PURSE_DB`, else the config's `db`, else `$XDG_DATA_HOME/purse/purse.db`, else
/// `~/.local/share/purse/purse.db`.
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
    /// nothing rather than creating one).
    public static func exists(_ location: String) -> Bool { FileManager.default.fileExists(atPath: location) }

    /// Opens the ledger at `location`.
    public static func open(_ location: String) throws(LedgerError) -> any PaymentLedger {
        try SQLiteLedger(path: location)
    }
}
