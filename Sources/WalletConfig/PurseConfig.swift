import PurseCore
import X402

/// The whole configuration file: key source, networks, policy, HTTP, payment, discovery and upstream settings.
///
/// The file is JSON. Unknown keys and bad values are errors that name the key; an absent file
/// means the defaults (Base Sepolia only, the default limits).
public struct PurseConfig: Sendable, Equatable {
    /// Where the key comes from (when `PURSE_PRIVATE_KEY` is not set).
    public var key: KeyConfig?
    /// Where the Solana key comes from (when `PURSE_SOLANA_KEY` is not set): `key.solana`.
    public var solanaKey: SolanaKeyConfig?
    /// Per-network settings, by CAIP-2 id.
    public var networks: [String: NetworkConfig] = [:]
    /// The spending policy.
    public var policy = PolicyConfig()
    /// Seller-facing HTTP settings.
    public var http = HTTPConfig()
    /// Signing and retry settings.
    public var payment = PaymentConfig()
    /// The catalogs `discover` searches.
    public var discovery = DiscoveryConfig()
    /// The MCP servers whose tools Purse lists and pays for, in file order.
    public var upstreams: [UpstreamConfig] = []
    /// The ledger, when the config names one: a file path (SQLite) or a `postgresql://` /
    /// `postgres://` URL (PostgreSQL, one budget for several machines).
    public var db: String?
    /// The name of the environment variable that holds the PostgreSQL password (never the
    /// password itself, which the config file must not hold).
    public var dbPasswordEnv: String?
    /// The file this came from, if any.
    public var sourcePath: String?

    /// The defaults.
    public init() {}

    /// The networks payments may use: `policy.allowNetworks`, or else the configured testnets,
    /// or else Base Sepolia and Solana devnet. A mainnet is allowed only when named.
    public var allowedNetworks: [String] {
        if let list = policy.allowNetworks { return list }
        let testnets = networks.keys.filter { Network.parse($0)?.isTestnet == true }.sorted()
        return testnets.isEmpty ? Self.defaultNetworks : testnets
    }

    /// The networks allowed when the configuration names none: the test networks of both chains.
    public static let defaultNetworks = ["eip155:84532", Network.solanaDevnet]

    /// The compute-unit price cap for a Solana network (`networks.<id>.maxComputeUnitPrice`).
    public func maxComputeUnitPrice(network: String) -> UInt64 {
        networks[network]?.maxComputeUnitPrice ?? NetworkConfig.defaultMaxComputeUnitPrice
    }

    /// Every token known on allowed networks and allowed by `policy.allowAssets`.
    public var allowedAssets: [AssetInfo] {
        let allowed = Set(allowedNetworks)
        var all = AssetInfo.builtInUSDC.filter { allowed.contains($0.network) }
        for (network, cfg) in networks where allowed.contains(network) {
            for a in cfg.assets {
                all.removeAll { $0.network == network && $0.addressKey == AssetInfo.key(a.address) }
                all.append(a.info(network: network))
            }
        }
        if let list = policy.allowAssets {
            let keys = Set(list.map(AssetInfo.key))
            all = all.filter { keys.contains($0.addressKey) }
        }
        return all.sorted { ($0.network, $0.addressKey) < ($1.network, $1.addressKey) }
    }

    /// Every token Purse can name, allowed or not: the built-in USDC deployments and the
    /// configured tokens of every network (for showing a price the policy would refuse).
    public var knownAssets: [AssetInfo] {
        var all = AssetInfo.builtInUSDC
        for (network, cfg) in networks.sorted(by: { $0.key < $1.key }) {
            for a in cfg.assets {
                all.removeAll { $0.network == network && $0.addressKey == AssetInfo.key(a.address) }
                all.append(a.info(network: network))
            }
        }
        return all
    }

    /// The RPC URL for a network: configured, or the public default.
    public func rpcURL(network: String) -> String? {
        networks[network]?.rpcUrl ?? NetworkConfig.defaultRPC[network]
    }

    /// The symbol used when talking about budgets (the first allowed asset's, usually USDC).
    public var budgetSymbol: String { allowedAssets.first?.symbol ?? "USDC" }
}
