import ArgumentParser

/// The root `purse` command; `serve` is the default subcommand.
public struct PurseCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "purse",
        abstract: "An x402 wallet for AI agents, served over MCP.",
        subcommands: [ServeCommand.self, FetchCommand.self, QuoteCommand.self, DiscoverCommand.self, UpstreamsCommand.self, SpendLogCommand.self, BudgetCommand.self,
                      BalanceCommand.self, AddressCommand.self, KeygenCommand.self, InitCommand.self, DoctorCommand.self, ReconcileCommand.self,
                      ReportCommand.self, ApprovalsCommand.self, ApproveCommand.self, DenyCommand.self, DemoCommand.self, LedgerCommand.self],
        defaultSubcommand: ServeCommand.self
    )

    public init() {}
}

