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

    func run() async throws {
        var cap: Int64?
        if let maxPrice {
            guard let m = (try? AmountFormat.atomic(fromDecimal: maxPrice, decimals: 6)) else { throw ValidationError("--max-price must be a decimal amount such as 0.05") }
            cap = m
        }
        let req = try request.request()
        let wallet: PurseWallet
        do {
            wallet = try PurseWallet(options: WalletOptions(configPath: global.config, dbPath: global.db, environment: ProcessInfo.processInfo.environment, sessionKind: "fetch"))
        } catch { throw CLIExit.fail(error) }
        let result = await wallet.interceptor.fetch(req, maxPriceMicros: cap)
        if json {
            stdout(result.json().encoded() + "\n")
        } else {
            if let r = result.outcome.response { FileHandle.standardOutput.write(Data(r.body)) }
            stderr("purse: " + result.summary)
        }
        switch result.outcome.kind {
        case .notPaymentRequired, .paid: return
        case .refused: throw ExitCode(result.outcomeName == "error" ? CLIExit.failure : CLIExit.refused)
        case .paymentFailed, .unknown: throw ExitCode(CLIExit.paymentProblem)
        }
    }
}
