import ArgumentParser
import Foundation
import Ledger
import PurseCore
import Wallet

extension GlobalOptions {
    /// The process environment.
    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The config named by `--config`, `PURSE_CONFIG` or the default path (absent default → defaults).
    func loadConfig() throws -> PurseConfig {
        try PurseConfig.load(path: PurseConfig.defaultPath(explicit: config, environment: environment), mustExist: config != nil)
    }

    /// The ledger location for `config` (`LedgerLocation.resolve`: `--db`, `PURSE_DB`, the config's `db`, the default).
    func ledgerLocation(_ config: PurseConfig) -> String {
        LedgerLocation.resolve(explicit: db, configured: config.db, environment: environment)
    }

    /// Opens the ledger for `config`.
    func openLedger(_ config: PurseConfig) throws -> any PaymentLedger {
        try LedgerLocation.open(ledgerLocation(config), passwordEnv: config.dbPasswordEnv, environment: environment)
    }

    /// The approvals desk over the ledger of `config` (no key needed: approving is the human's act).
    func approvalDesk() throws -> ApprovalDesk {
        let config = try loadConfig()
        return ApprovalDesk(ledger: try openLedger(config), policy: Policy(config: config))
    }

    /// Parses `--max-price` (`MaxPrice`), as a usage error.
    func maxPrice(_ text: String?) throws -> Micros? {
        do { return try MaxPrice.parse(text, field: "--max-price") } catch { throw ValidationError(error.message) }
    }

    /// Opens the wallet (config, key, ledger, a new session of `kind`), or exits with a coded error.
    func openWallet(kind: String) throws -> PurseWallet {
        do {
            return try PurseWallet(options: WalletOptions(configPath: config, dbPath: db, environment: environment, sessionKind: kind))
        } catch {
            throw CLIExit.fail(error)
        }
    }
}
