import ArgumentParser
import Foundation
import Wallet

/// `purse address`: prints the wallet's checksummed address.
struct AddressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "address", abstract: "Print the wallet's checksummed address.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        do {
            let (key, _) = try KeyLoader.load(config: try global.loadConfig(), environment: global.environment)
            stdout(key.address.checksummed + "\n")
        } catch {
            throw CLIExit.fail(error)
        }
    }
}
