import ArgumentParser
import Foundation
import Solana
import Wallet
import X402

/// `purse address [--network ID]`: prints the wallet's checksummed EVM address, or with a
/// Solana network its Solana account (base58). Never the key.
struct AddressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "address", abstract: "Print the wallet's address (EVM, or Solana with --network solana:…).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The network whose address to print (CAIP-2); a solana:… id prints the Solana account.")
    var network: String?

    func run() throws {
        do {
            let config = try global.loadConfig()
            if let network {
                guard let family = Network.parse(network)?.family else {
                    throw CLIExit.fail(ValidationError("--network \(network) is neither an EVM nor a Solana network (CAIP-2, such as eip155:84532 or \(Network.solanaDevnet))"))
                }
                if family == .solana {
                    guard let (key, _) = try KeyLoader.loadSolana(config: config, environment: global.environment) else {
                        throw KeyLoadError.solanaNotConfigured
                    }
                    stdout(key.publicKey.base58 + "\n")
                    return
                }
            }
            let (key, _) = try KeyLoader.load(config: config, environment: global.environment)
            stdout(key.address.checksummed + "\n")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw CLIExit.fail(error)
        }
    }
}
