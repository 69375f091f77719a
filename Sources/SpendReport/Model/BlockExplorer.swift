import PurseCore
/// Where a settlement transaction can be looked at: the public block explorer of its network.
///
/// Only networks with a well-known explorer get a link, and only for a hash that has the
/// network's exact shape, so a malformed or hostile value in the ledger can never become a link
/// to somewhere else. A network whose RPC is on this machine (the offline world, a dev node) is
/// "local": its transactions exist nowhere public, so they get no link even when the chain id is
/// a public one (the offline world uses Base Sepolia's 84532).
public struct BlockExplorer: Sendable, Equatable {
    /// CAIP-2 ids whose transactions exist only on this machine.
    public var localNetworks: Set<String>

    /// Creates the link maker; `localNetworks` get no links.
    public init(localNetworks: Set<String> = []) {
        self.localNetworks = localNetworks
    }

    /// The explorer page of `txHash` on `network`, or nil when there is none to link to.
    public func transactionURL(network: String, txHash: String) -> String? {
        guard !localNetworks.contains(network), !Self.alwaysLocal.contains(network) else { return nil }
        if let base = Self.evm[network] {
            guard Self.isEVMHash(txHash) else { return nil }
            return base + "/tx/" + txHash
        }
        if let (base, query) = Self.solana[network] {
            guard Self.isBase58Signature(txHash) else { return nil }
            return base + "/tx/" + txHash + query
        }
        return nil
    }

    /// The network's name for people (`Base Sepolia`), when known.
    public static func displayName(network: String) -> String? {
        names[network]
    }

    /// Whether an RPC URL points at this machine (`localhost`, `127.x.x.x`, `[::1]`): the network
    /// it serves is then local.
    public static func isLocalRPC(_ url: String) -> Bool {
        guard let schemeEnd = url.range(of: "://") else { return false }
        var rest = url[schemeEnd.upperBound...]
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        var host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return false }
            host = rest[rest.index(after: rest.startIndex)..<close]
        } else {
            host = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        }
        return HostName(host).isLoopback
    }

    /// Development chain ids that are local wherever they run (Hardhat/Anvil, Ganache).
    static let alwaysLocal: Set<String> = ["eip155:31337", "eip155:1337"]

    /// Explorers of the EVM networks Purse knows by name.
    static let evm: [String: String] = [
        "eip155:1": "https://etherscan.io",
        "eip155:11155111": "https://sepolia.etherscan.io",
        "eip155:8453": "https://basescan.org",
        "eip155:84532": "https://sepolia.basescan.org",
        "eip155:137": "https://polygonscan.com",
        "eip155:80002": "https://amoy.polygonscan.com",
        "eip155:42161": "https://arbiscan.io",
        "eip155:421614": "https://sepolia.arbiscan.io",
        "eip155:10": "https://optimistic.etherscan.io",
        "eip155:43114": "https://snowtrace.io",
        "eip155:43113": "https://testnet.snowtrace.io",
    ]

    /// Solana's explorer, with the cluster query for devnet.
    static let solana: [String: (String, String)] = [
        "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp": ("https://explorer.solana.com", ""),
        "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1": ("https://explorer.solana.com", "?cluster=devnet"),
    ]

    static let names: [String: String] = [
        "eip155:1": "Ethereum", "eip155:11155111": "Sepolia", "eip155:8453": "Base", "eip155:84532": "Base Sepolia",
        "eip155:137": "Polygon", "eip155:80002": "Polygon Amoy", "eip155:42161": "Arbitrum One",
        "eip155:421614": "Arbitrum Sepolia", "eip155:10": "OP Mainnet", "eip155:43114": "Avalanche",
        "eip155:43113": "Avalanche Fuji", "eip155:31337": "local dev chain", "eip155:1337": "local dev chain",
        "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp": "Solana", "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1": "Solana Devnet",
    ]

    /// `0x` and 64 hex digits.
    static func isEVMHash(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 66, u[0] == 0x30, u[1] == 0x78 || u[1] == 0x58 else { return false }
        return u[2...].allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) }
    }

    /// 64 to 90 base58 characters (a Solana signature is 64 bytes).
    static func isBase58Signature(_ s: String) -> Bool {
        let alphabet = Set("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
        return (64...90).contains(s.utf8.count) && s.utf8.allSatisfy { alphabet.contains($0) }
    }
}
