import ArgumentParser
import Foundation
import PurseCore
import Wallet

/// `purse balance`: the wallet's on-chain token balances on the allowed networks.
struct BalanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "balance", abstract: "Show on-chain balances of the allowed tokens.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Only this network (CAIP-2).")
    var network: String?

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() async throws {
        let wallet = try global.openWallet(kind: "balance")
        let (balances, failures) = await wallet.balances.read(network: network)
        if json {
            stdout(BalanceJSON.make(address: wallet.signer.address.checksummed, solanaAddress: wallet.signer.solanaAddress?.base58,
                                    balances: balances, failures: failures).encoded() + "\n")
        } else {
            stdout("\(wallet.signer.address)\(wallet.signer.solanaAddress.map { "  (Solana \($0))" } ?? "")\n")
            for b in balances { stdout("  \(b.network)  \(b.amount) \(b.symbol)  (\(b.asset))\n") }
            for f in failures { stdout("  \(f.network)  error: \(f.error)\n") }
        }
        if balances.isEmpty && !failures.isEmpty { throw ExitCode(CLIExit.failure) }
    }
}
