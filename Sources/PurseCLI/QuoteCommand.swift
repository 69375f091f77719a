import ArgumentParser
import Foundation
import PurseCore
import Wallet

/// `purse quote URL`: shows what a URL asks for and what Purse would pay; pays nothing.
struct QuoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "quote", abstract: "Show a URL's x402 options and which one Purse would pay; pays nothing.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var request: RequestOptions

    @Option(name: .long, help: "Check against this cap instead (can only lower policy.maxPerRequest).")
    var maxPrice: String?

    @Flag(name: .long, help: "Print JSON.")
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
            wallet = try PurseWallet(options: WalletOptions(configPath: global.config, dbPath: global.db, environment: ProcessInfo.processInfo.environment, sessionKind: "quote"))
        } catch { throw CLIExit.fail(error) }
        let q = await wallet.interceptor.quote(req, maxPriceMicros: cap)
        stdout((json ? q.json().encoded() : q.summary) + "\n")
        if q.response == nil { throw ExitCode(CLIExit.failure) }
    }
}
