import PurseCore
import WalletConfig
import X402

/// The config `purse init` writes: safe defaults a human can read and edit.
///
/// - the key by keystore, its password by `passwordEnv` or `passwordCommand` (never the key);
/// - one network, a testnet unless the human named another, listed in `allowNetworks` so the
///   file says plainly which chain money moves on;
/// - the default budgets written out (so they can be seen and lowered), and `confirmAbove` so a
///   payment above five cents waits for the human.
public struct StarterConfig: Sendable, Equatable {
    /// The approval threshold `init` sets (the policy default is "never ask").
    public static let confirmAbove = Micros(50_000)

    /// The keystore path (absolute).
    public var keystorePath: String
    /// Where the keystore password comes from.
    public var password: KeystorePassword
    /// The CAIP-2 network payments may use.
    public var network: String
    /// The JSON-RPC endpoint for balances and reconcile (the public default when nil).
    public var rpcUrl: String?
    /// The ledger path, when not the default.
    public var db: String?

    /// Creates a starter config.
    public init(keystorePath: String, password: KeystorePassword, network: String, rpcUrl: String? = nil, db: String? = nil) {
        self.keystorePath = keystorePath
        self.password = password
        self.network = network
        self.rpcUrl = rpcUrl
        self.db = db
    }

    /// The document.
    public var json: JSONValue {
        var key: JSONObject = ["keystore": .string(keystorePath)]
        switch password {
        case let .environment(name):
            key["passwordEnv"] = .string(name)
        case let .command(argv, timeout):
            key["passwordCommand"] = .array(argv.map { .string($0) })
            if timeout != KeystorePassword.defaultCommandTimeoutSeconds { key["passwordCommandTimeoutSeconds"] = .integer(timeout) }
        }
        var root: JSONObject = ["key": .object(key)]
        if let rpc = rpcUrl ?? NetworkConfig.defaultRPC[network] {
            let networks = JSONObject([JSONMember(network, .object(["rpcUrl": .string(rpc)]))])
            root["networks"] = .object(networks)
        }
        let defaults = PolicyConfig()
        let policy: JSONValue = [
            "maxPerRequest": .string(Self.amount(defaults.maxPerRequest)),
            "sessionBudget": .string(Self.amount(defaults.sessionBudget)),
            "dailyBudget": .string(Self.amount(defaults.dailyBudget)),
            "confirmAbove": .string(Self.amount(Self.confirmAbove)),
            "allowNetworks": [.string(network)],
        ]
        root["policy"] = policy
        if let db { root["db"] = .string(db) }
        return .object(root)
    }

    /// The file's text: two-space indentation and a final newline.
    public var text: String { json.prettyEncoded() + "\n" }

    /// `0.10` for `Micros(100_000)`.
    static func amount(_ m: Micros) -> String {
        AmountFormat.decimalString(atomic: m.value, decimals: 6, minFractionDigits: 2)
    }
}
