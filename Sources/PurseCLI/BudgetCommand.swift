import ArgumentParser
import Foundation
import Ledger
import Wallet

/// `purse budget`: the effective policy and what is left in each window.
struct BudgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "budget", abstract: "Show the effective policy and what is left in each window.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Show this session's window too: an id, 'last' or 'current'.")
    var session: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        do {
            let config = try global.loadConfig()
            let ledger = try global.openLedger(config)
            let sid = try SessionSelector.resolve(session, sessions: try ledger.sessions(), own: nil)
            let status = try BudgetStatus(policy: Policy(config: config), ledger: ledger, sessionID: sid)
            stdout((json ? status.json().prettyEncoded() : status.text) + "\n")
        } catch let e as ValidationError { throw CLIExit.fail(e) } catch { throw CLIExit.fail(error) }
    }
}
