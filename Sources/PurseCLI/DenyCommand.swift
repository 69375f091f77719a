import ArgumentParser
import Foundation
import Ledger
import PurseCore
import Wallet

/// `purse deny ID`: refuses a payment an agent asked for.
struct DenyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deny", abstract: "Refuse a payment an agent asked for.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The approval id (apr_…).")
    var id: String

    func run() throws {
        do {
            let desk = try global.approvalDesk()
            let denied = try desk.decide(id, approve: false)
            stdout("Denied \(id): \(denied.approval.amountText) \(denied.assetSymbol) to \(denied.payTo) for \(denied.url); nothing will be paid.\n")
        } catch {
            throw CLIExit.fail(error)
        }
    }
}
