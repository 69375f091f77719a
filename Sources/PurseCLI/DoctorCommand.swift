import ArgumentParser
import Foundation
import PurseSetup
import Wallet

/// `purse doctor [--json]`: checks everything a payment needs, each with ✓/✗ and the fix.
/// Exits 0 only when nothing is ✗ (warnings, marked `!`, do not change the exit code).
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the config, key, networks, balances, ledger and host registrations; exit 0 when a payment can work.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let doctor = Doctor(
            configPath: PurseConfig.defaultPath(explicit: global.config, environment: environment),
            configExplicit: global.config != nil,
            dbPath: global.db,
            environment: environment,
            home: environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory())
        let report = await doctor.run()
        stdout(json ? report.json.encoded() + "\n" : report.text)
        if !report.ok { throw ExitCode(CLIExit.failure) }
    }
}
