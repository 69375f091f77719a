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
        let cap = try global.maxPrice(maxPrice)
        let req = try request.request()
        let wallet = try global.openWallet(kind: "quote")
        let q = await wallet.driver.quote(req, maxPrice: cap)
        stdout((json ? q.json().encoded() : q.summary) + "\n")
        if q.response == nil { throw ExitCode(CLIExit.failure) }
    }
}
