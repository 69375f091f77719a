import ArgumentParser

/// The root `purse` command; `serve` is the default subcommand.
public struct PurseCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "purse",
        abstract: "An x402 wallet for AI agents, served over MCP.",
        subcommands: [ServeCommand.self, FetchCommand.self, QuoteCommand.self, SpendLogCommand.self, BudgetCommand.self, BalanceCommand.self,
                      AddressCommand.self, KeygenCommand.self, ReconcileCommand.self, DemoCommand.self],
        defaultSubcommand: ServeCommand.self
    )

    public init() {}
}

/// `purse serve`: the MCP server on stdio.
public struct ServeCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the MCP server on stdio.")
    public init() {}
    public func run() async throws {
        throw ValidationError("serve: not yet")
    }
}
