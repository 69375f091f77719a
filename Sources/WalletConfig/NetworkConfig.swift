/// One network's settings: where its JSON-RPC lives and which extra tokens it has.
public struct NetworkConfig: Sendable, Equatable {
    /// The JSON-RPC endpoint, used for balances and reconciliation (never for paying).
    public var rpcUrl: String?
    /// Tokens added to the built-in table for this network.
    public var assets: [AssetConfig]

    /// Creates a network configuration.
    public init(rpcUrl: String?, assets: [AssetConfig] = []) {
        self.rpcUrl = rpcUrl
        self.assets = assets
    }

    /// Public RPC endpoints used when the configuration names none.
    public static let defaultRPC: [String: String] = [
        "eip155:84532": "https://sepolia.base.org",
        "eip155:8453": "https://mainnet.base.org",
        "eip155:1": "https://ethereum-rpc.publicnode.com",
        "eip155:137": "https://polygon-rpc.com",
        "eip155:42161": "https://arb1.arbitrum.io/rpc",
        "eip155:421614": "https://sepolia-rollup.arbitrum.io/rpc",
        "eip155:43114": "https://api.avax.network/ext/bc/C/rpc",
    ]
}
