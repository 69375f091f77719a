import ArgumentParser
import Foundation
import Logging
import PurseMCP
import Wallet

/// `purse serve`: the MCP server on stdio. stdout carries JSON-RPC frames only; logs go to stderr.
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the MCP server on stdio (the default).")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Do not reconcile unresolved payments against the chain at start.")
    var noReconcile = false

    public init() {}

    public func run() async throws {
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label) }
        let logger = Logger(label: "purse")
        let wallet: PurseWallet
        do {
            wallet = try PurseWallet(options: WalletOptions(configPath: global.config, dbPath: global.db, environment: global.environment,
                                                            sessionKind: "serve"))
        } catch {
            // Start anyway: a host shows only "server failed" for a server that exits, while one
            // that answers every tool with the error and its fix lets the agent tell its human.
            let advice = SetupAdvice(error: error, configPath: PurseConfig.defaultPath(explicit: global.config, environment: global.environment))
            logger.error("\(advice.summary)")
            let server = PurseServer(backend: UnconfiguredToolBackend(advice: advice), version: PurseVersion.current,
                                     instructions: advice.summary, logger: logger)
            try await server.run()
            return
        }
        // A server goes on paying: its ledger readies itself for that in the background.
        wallet.ledger.prepareForPayments()
        logger.info("purse serve: session \(wallet.session.id), wallet \(wallet.signer.address), networks \(wallet.policy.allowedNetworks.joined(separator: ","))")
        if !noReconcile {
            // In the background: `initialize` must not wait for an RPC round trip.
            let reconciler = wallet.reconciler
            Task.detached {
                let report = await reconciler.run()
                if !report.entries.isEmpty { logger.info("\(report.summary)") }
            }
        }
        let upstreams = Self.upstreams(wallet, environment: global.environment, logger: logger)
        let server = PurseServer(
            backend: WalletToolBackend(wallet: wallet, upstreams: upstreams), version: PurseVersion.current,
            approvalTimeout: .seconds(wallet.config.payment.approvalTimeoutSeconds), instructions: Self.instructions, logger: logger)
        upstreams.directory.start()
        do { try await server.run() } catch {
            await upstreams.directory.stop()
            throw error
        }
        await upstreams.directory.stop()
    }
}

extension ServeCommand {
    /// The configured upstreams, connected in the background once the server runs (Purse's own
    /// tools never wait for them); their events go to stderr (`debug` ones too: a child's stderr
    /// lines, rate-limited).
    static func upstreams(_ wallet: PurseWallet, environment: [String: String], logger: Logger) -> UpstreamGateway {
        let directory = UpstreamDirectory(
            config: wallet.config, http: wallet.http, environment: environment, clientVersion: PurseVersion.current,
            reservedNames: Set(ToolCatalog.names)) { level, message in
                switch level {
                case .debug: logger.debug("\(message)")
                case .info: logger.info("\(message)")
                case .warning: logger.warning("\(message)")
                case .error: logger.error("\(message)")
                }
            }
        return UpstreamGateway(directory: directory, driver: wallet.driver, http: wallet.http, config: wallet.config,
                               clientVersion: PurseVersion.current)
    }
}

extension ServeCommand {
    /// What the client's model is told about this server (at `initialize` and `server/discover`).
    static let instructions = """
        Purse is an x402 wallet: paid_fetch fetches a URL and pays its HTTP 402 price within the human's budget; \
        quote shows a price without paying. Payments above the human's threshold need their approval: if a result's \
        outcome is approval_required, ask the human to run the command it gives, then repeat the call with approval_id. \
        Tools named NAME__TOOL belong to the MCP servers the human configured (upstream NAME) and may cost money per \
        call, paid under the same budget; paid_tool_call calls a tool on an MCP server discover found, tool_quote prices it.
        """
}

/// The version Purse reports.
public enum PurseVersion {
    /// The release version.
    public static let current = "0.1.0"
}
