import ArgumentParser
import Foundation
import Wallet

/// `purse address`: prints the wallet's checksummed address.
struct AddressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "address", abstract: "Print the wallet's checksummed address.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        do {
            let config = try PurseConfig.load(path: PurseConfig.defaultPath(explicit: global.config, environment: env), mustExist: global.config != nil)
            let (key, _) = try KeyLoader.load(config: config, environment: env)
            stdout(key.address.checksummed + "\n")
        } catch {
            throw CLIExit.fail(error)
        }
    }
}
