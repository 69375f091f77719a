import ArgumentParser
import Foundation
import Ledger
import PurseCore
import Wallet

/// `purse approvals`: the payments waiting for the human's approval at the terminal.
struct ApprovalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List payments waiting for your approval (filed by `serve` or `fetch` when no one could be asked).")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Include approved, denied, used and expired approvals.")
    var all = false

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        do {
            let desk = try global.approvalDesk()
            let now = desk.now
            let records = try desk.list(all: all, limit: 200)
            if json {
                let doc: JSONValue = ["approvals": .array(records.map { ApprovalDesk.json($0, now: now) })]
                stdout(doc.prettyEncoded() + "\n")
                return
            }
            if records.isEmpty {
                stdout(all ? "No approvals.\n" : "No payment is waiting for approval.\n")
                return
            }
            for r in records {
                stdout("\(r.id)  \(r.state(at: now))  \(r.approval.amountText) \(r.assetSymbol) to \(r.payTo) for \(r.url)  (expires \(ApprovalError.timestamp(r.expiresAt)))\n")
            }
            if !all { stdout("Approve one with `purse approve ID`, refuse it with `purse deny ID`.\n") }
        } catch {
            throw CLIExit.fail(error)
        }
    }
}
