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

    /// The ledger path for `config` (`--db`, `PURSE_DB`, the config's `db`, the default).
    func ledgerPath(_ config: PurseConfig, kind: String) -> String {
        WalletOptions(configPath: self.config, dbPath: db, environment: environment, sessionKind: kind).ledgerPath(config: config)
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

/// Parses `--max-price`: a decimal amount that can only lower the per-request cap.
enum MaxPrice {
    static func micros(_ text: String?) throws -> Int64? {
        guard let text else { return nil }
        guard let m = try? AmountFormat.atomic(fromDecimal: text, decimals: 6) else {
            throw ValidationError("--max-price must be a decimal amount such as 0.05")
        }
        return m
    }
}
