import ArgumentParser
import Foundation
import Ledger
import PurseCore
import Wallet

/// `purse approve ID`: shows one pending payment and approves it (asks y/N on the terminal).
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a payment an agent asked for; the agent then repeats its call with approval_id.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The approval id (apr_…).")
    var id: String

    @Flag(name: .long, help: "Approve without asking (you have read the details).")
    var yes = false

    func run() throws {
        do {
            let desk = try global.approvalDesk()
            let record = try desk.record(id)
            stdout(ApprovalDesk.text(record, now: desk.now, budget: desk.budget(for: record)) + "\n")
            switch record.status {
            case .denied: throw ApprovalError.denied(id: id)
            case .used: throw ApprovalError.used(id: id)
            case .pending, .approved: break
            }
            if record.expiresAt <= desk.now { throw ApprovalError.expired(id: id, at: record.expiresAt) }
            if record.status == .approved {
                stdout("Already approved.\n")
                return
            }
            if !yes {
                let answer = try TerminalPrompt.ask("Approve this payment? [y/N] ")
                guard ["y", "yes"].contains(answer.lowercased()) else {
                    _ = try desk.decide(id, approve: false)
                    stdout("Denied \(id); nothing will be paid.\n")
                    return
                }
            }
            let approved = try desk.decide(id, approve: true)
            stdout("Approved \(id): one payment of at most \(approved.approval.amountText) \(approved.assetSymbol) to \(approved.payTo), until \(ApprovalError.timestamp(approved.expiresAt)). The agent can now repeat its call with approval_id \(id).\n")
        } catch {
            throw CLIExit.fail(error)
        }
    }
}
