import ArgumentParser
import Foundation
import Ledger
import PurseCore
import SpendReport
import Wallet

/// `purse report`: the spend log as one self-contained HTML page a person looks at.
///
/// Thin on purpose: it reads the ledger through the same `SpendLog.report` query as
/// `purse spend-log` (so the totals are equal for the same window), hands the result to the pure
/// `SpendReport` renderer, and writes the file.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML spend report: spend per day, host and session, budgets, pending payments.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The HTML file to write (default: purse-report.html; '-' for standard output).")
    var out: String = "purse-report.html"

    @Option(name: .long, help: "Only payments since: 24h, 7d, 30d, or a date 2026-11-01.")
    var since: String?

    @Option(name: .long, help: "Only this session: an id, 'last' (latest started) or 'current' (latest still running).")
    var session: String?

    @Flag(name: .long, help: "Open the report with the desktop's opener (xdg-open, open) where there is one.")
    var open = false

    func validate() throws {
        if let since, SinceParser.parse(since, now: Date()) == nil { throw ValidationError("--since takes 30m, 24h, 7d, 30d or a date like 2026-11-01") }
        if out.isEmpty { throw ValidationError("--out needs a file name") }
        if open, out == "-" { throw ValidationError("--open needs a file, not standard output") }
    }

    func run() throws {
        let now = Date()
        do {
            let config = try global.loadConfig()
            let location = global.ledgerLocation(config)
            let policy = Policy(config: config)
            let sinceDate = since.flatMap { SinceParser.parse($0, now: now) }
            var sessionID: String?
            let log: SpendLogReport
            if LedgerLocation.exists(location) {
                let ledger = try global.openLedger(config)
                // Without --session, the session gauge is about the latest paying session; the
                // payments (and so the totals) are the same as spend-log's either way.
                let latest = session == nil ? try? SessionSelector.resolve("last", sessions: ledger.sessions(), own: nil) : nil
                log = try SpendLog.report(ledger: ledger, policy: policy, session: session, own: latest, since: sinceDate, now: now)
                if session != nil { sessionID = log.currentSessionID }
            } else {
                log = SpendLog.empty(policy: policy, now: now)
            }
            let local = Set(config.networks.compactMap { id, net in net.rpcUrl.map(BlockExplorer.isLocalRPC) == true ? id : nil })
            let model = SpendReportModel(
                log: log, window: ReportWindow(since: sinceDate, now: now, sinceText: since, sessionID: sessionID),
                explorer: BlockExplorer(localNetworks: local))
            let html = SpendReportPage.html(model)
            if out == "-" {
                stdout(html)
                return
            }
            let path = try ReportFile.write(html, to: out)
            stdout(path + "\n")
            if open, let note = ReportFile.open(path) { stderr("purse: \(note)") }
        } catch let e as ValidationError { throw CLIExit.fail(e) } catch { throw CLIExit.fail(error) }
    }
}
