import ArgumentParser
import Foundation
import Ledger
import Wallet

/// `purse ledger copy --from PATH --to URL`: moves a SQLite history into PostgreSQL, once and
/// idempotently (`PostgresLedger.copy(from:)`): ids are kept, a re-run copies nothing new and
/// checks that what is there equals the source, and a target holding another history is refused.
struct LedgerCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy", abstract: "Copy a SQLite ledger into a PostgreSQL ledger (exact, safe to re-run).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The SQLite ledger file to copy from (left unchanged).")
    var from: String

    @Option(name: .long, help: "The PostgreSQL ledger to copy into: a postgresql:// or postgres:// URL (its password comes from the config's dbPasswordEnv).")
    var to: String

    func run() throws {
        do {
            let config = try global.loadConfig()
            guard !LedgerStore.isPostgres(from) else {
                throw CLIExitError("ledger.copy_source", "--from must be a SQLite ledger file, not a URL")
            }
            guard FileManager.default.fileExists(atPath: from) else {
                throw CLIExitError("ledger.copy_source", "no ledger file at \(from)")
            }
            guard LedgerStore.isPostgres(to) else {
                throw CLIExitError("ledger.copy_target", "--to must be a postgresql:// or postgres:// URL")
            }
            let source = try SQLiteLedger(path: from)
            let password = config.dbPasswordEnv.flatMap { global.environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            let target = try PostgresLedger(url: to, password: password)
            let r = try target.copy(from: source)
            stdout("copied to \(target.location): \(r.paymentsCopied) payments, \(r.sessionsCopied) sessions, \(r.approvalsCopied) approvals"
                + " (already there and identical: \(r.paymentsPresent) payments, \(r.sessionsPresent) sessions, \(r.approvalsPresent) approvals)\n")
        } catch let e as ExitCode { throw e } catch { throw CLIExit.fail(error) }
    }
}
