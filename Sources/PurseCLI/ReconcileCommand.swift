import ArgumentParser
import Foundation
import HTTP
import Ledger
import Wallet

/// `purse reconcile`: settles unresolved ledger rows against the chain.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reconcile", abstract: "Resolve reserved/sent/unknown payments against the chain.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        do {
            let config = try global.loadConfig()
            let ledger = try global.openLedger(config)
            let report = await Reconciler(ledger: ledger, config: config, http: CurlHTTPClient(options: HTTPOptions(config: config.http))).run()
            for e in report.entries { stdout("  #\(e.id) \(e.action): \(e.detail)\n") }
            stdout(report.summary + "\n")
            if report.errors > 0 { throw ExitCode(CLIExit.failure) }
        } catch let e as ExitCode { throw e } catch { throw CLIExit.fail(error) }
    }
}
