import ArgumentParser
import Foundation
import PurseCore
import Wallet

/// `purse discover QUERY`: searches the configured x402 Bazaar catalogs and shows, for each
/// result, its price and whether this wallet would pay it now (the `quote` decision); pays nothing.
struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Search x402 Bazaar catalogs; show each result's price and whether the policy would pay it. Pays nothing.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "What to look for (words, such as \"weather forecast\").")
    var query: String

    @Option(name: .long, help: "Judge against this cap instead (can only lower policy.maxPerRequest).")
    var maxPrice: String?

    @Option(name: .long, help: "Only results with an option on this CAIP-2 network (such as eip155:84532).")
    var network: String?

    @Option(name: .long, help: "Only http endpoints or mcp tools.")
    var type: String?

    @Option(name: .long, help: "At most this many results (1–100, default 20).")
    var limit: Int?

    @Flag(name: .long, help: "Print JSON (the same object as the discover MCP tool).")
    var json = false

    func run() async throws {
        let q: DiscoveryQuery
        do {
            q = try DiscoveryQuery.parse(query: query, maxPrice: maxPrice, network: network, type: type, limit: limit, fieldPrefix: "--")
        } catch { throw ValidationError(error.message) }
        let wallet = try global.openWallet(kind: "discover")
        let result: DiscoveryResult
        do { result = try await wallet.discovery.search(q) } catch { throw CLIExit.fail(error) }
        stdout((json ? result.json().encoded() : result.table()) + "\n")
        if result.allFailed { throw ExitCode(CLIExit.failure) }
    }
}
