import ArgumentParser
import Foundation
import PurseCore
import Wallet
import X402

/// `purse fetch URL`: fetches, paying if the server asks and the policy allows.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch a URL, paying an x402 price within the policy; body to stdout, receipt to stderr.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var request: RequestOptions

    @Option(name: .long, help: "The most to pay for this request, e.g. 0.05 (can only lower policy.maxPerRequest).")
    var maxPrice: String?

    @Flag(name: .long, help: "Print one JSON object (status, headers, body, payment, budget) instead.")
    var json = false

    @Option(name: .long, help: "Pay using this approval (from `purse approve`), as paid_fetch's approval_id does.")
    var approvalId: String?

    func run() async throws {
        let cap = try global.maxPrice(maxPrice)
        let req = try request.request()
        let wallet = try global.openWallet(kind: "fetch")
        // Above policy.confirmAbove the human approves at the terminal, as for an MCP client
        // without elicitation: an approval_required result, `purse approve`, then --approval-id.
        let result = await wallet.driver.fetch(req, maxPrice: cap, approver: wallet.driver.terminalApprover(approvalID: approvalId))
        if json {
            stdout(result.json().encoded() + "\n")
        } else {
            if let r = result.response { FileHandle.standardOutput.write(Data(r.body)) }
            stderr("purse: " + result.summary)
        }
        switch result.outcome.kind {
        case .notPaymentRequired, .signedIn, .paid: return
        case .refused: throw ExitCode(result.outcomeName == "error" ? CLIExit.failure : CLIExit.refused)
        case .paymentFailed, .notDelivered, .unknown: throw ExitCode(CLIExit.paymentProblem)
        }
    }
}
