import ArgumentParser

/// `purse ledger`: operations on the ledger itself.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger", abstract: "Operations on the ledger itself.",
                                                    subcommands: [LedgerCopyCommand.self])
}
