import ArgumentParser
import HTTP
import PurseMCP
import Wallet

/// `purse upstreams`: connects to every configured upstream MCP server (as `serve` would),
/// and shows each one's state, its tools as Purse lists them and the prices they declare. Needs
/// no key and pays nothing.
struct UpstreamsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upstreams",
        abstract: "Show each configured upstream MCP server: its state, its tools and their declared prices. Pays nothing.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() async throws {
        let config: PurseConfig
        do { config = try global.loadConfig() } catch { throw CLIExit.fail(error) }
        let http = CurlHTTPClient(options: HTTPOptions(config: config.http))
        let directory = UpstreamDirectory(
            config: config, http: http, environment: global.environment, clientVersion: PurseVersion.current,
            reservedNames: Set(ToolCatalog.names), log: { level, message in
                if level != .debug { stderr("purse: \(message)") }
            })
        directory.start()
        await directory.waitForFirstAttempts(timeout: UpstreamLimits(config: config).startTimeout + .seconds(5))
        let report = UpstreamsReport(directory: directory)
        await directory.stop()
        stdout((json ? report.json().encoded() : report.table()) + "\n")
        if !report.allReady { throw ExitCode(CLIExit.failure) }
    }
}
