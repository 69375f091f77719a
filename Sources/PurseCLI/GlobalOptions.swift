import ArgumentParser

/// Options every wallet command takes: where the config and the ledger are.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Config file (default: $PURSE_CONFIG, else $XDG_CONFIG_HOME/purse/config.json).")
    var config: String?

    @Option(name: .long, help: "Ledger database (default: $PURSE_DB, else $XDG_DATA_HOME/purse/purse.db).")
    var db: String?

    public init() {}
}
