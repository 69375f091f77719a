import ArgumentParser
import Foundation
import Ledger
import PurseCore
import Wallet

/// `purse spend-log`: what was spent, when, where, and what is left.
struct SpendLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spend-log", abstract: "Show payments, totals per session and host, and the budget left.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "table (default), json or csv.")
    var format: String = "table"

    @OptionGroup var window: SpendWindowOptions

    @Option(name: .long, help: "Only this host.")
    var host: String?

    @Option(name: .long, help: "Only this status: reserved, sent, settled, failed, unknown.")
    var status: String?

    @Option(name: .long, help: "At most this many payments (newest first).")
    var limit: Int?

    func validate() throws {
        guard ["table", "json", "csv"].contains(format) else { throw ValidationError("--format must be table, json or csv") }
        if let status, PaymentStatus(rawValue: status) == nil { throw ValidationError("--status must be one of: reserved, sent, settled, failed, unknown") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let now = Date()
        do {
            let config = try global.loadConfig()
            let location = global.ledgerLocation(config)
            let policy = Policy(config: config)
            let report = LedgerLocation.exists(location)
                ? try SpendLog.report(
                    ledger: try global.openLedger(config), policy: policy, session: window.session, own: nil,
                    since: window.sinceDate(now: now), host: host.map { HostName($0) },
                    status: status.flatMap(PaymentStatus.init(rawValue:)), limit: limit, now: now)
                : SpendLog.empty(policy: policy, now: now)
            switch format {
            case "json": stdout(report.json().prettyEncoded() + "\n")
            case "csv": stdout(report.csv())
            default: stdout(report.table() + "\n")
            }
        } catch let e as ValidationError { throw CLIExit.fail(e) } catch { throw CLIExit.fail(error) }
    }
}
