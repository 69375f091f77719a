/// One network's settings: where its JSON-RPC lives and which extra tokens it has.
public struct NetworkConfig: Sendable, Equatable {
    /// The JSON-RPC endpoint, used for balances and reconciliation (never for paying).
    public var rpcUrl: String?
    /// Tokens added to the built-in table for this network (SPL mints on Solana).
    public var assets: [AssetConfig]
    /// Solana only: the highest compute-unit price, in micro-lamports, Purse puts in a payment
    /// transaction (a seller's `extra.computeUnitPrice` above it is refused before signing).
    /// Nil: `defaultMaxComputeUnitPrice`.
    public var maxComputeUnitPrice: UInt64?

    /// Creates a network configuration.
    public init(rpcUrl: String?, assets: [AssetConfig] = [], maxComputeUnitPrice: UInt64? = nil) {
        self.rpcUrl = rpcUrl
        self.assets = assets
        self.maxComputeUnitPrice = maxComputeUnitPrice
    }

    /// The default compute-unit price cap: 5 lamports per unit (5 000 000 micro-lamports), the
    /// most the x402 SDK facilitator accepts, so nothing Purse signs is refused for its price.
    public static let defaultMaxComputeUnitPrice: UInt64 = 5_000_000

    /// Public RPC endpoints used when the configuration names none.
    public static let defaultRPC: [String: String] = [
        "eip155:84532": "https://sepolia.base.org",
        "eip155:8453": "https://mainnet.base.org",
        "eip155:1": "https://ethereum-rpc.publicnode.com",
        "eip155:137": "https://polygon-rpc.com",
        "eip155:42161": "https://arb1.arbitrum.io/rpc",
        "eip155:421614": "https://sepolia-rollup.arbitrum.io/rpc",
        "eip155:43114": "https://api.avax.network/ext/bc/C/rpc",
        "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp": "https://api.mainnet-beta.solana.com",
        "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1": "https://api.devnet.solana.com",
    ]
}
