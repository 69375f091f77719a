/// A token Purse knows how to pay with on one network.
public struct AssetInfo: Sendable, Hashable {
    /// The network's CAIP-2 id.
    public var network: String
    /// The token contract address as 0x-hex (any case; compare with `addressKey`).
    public var address: String { didSet { addressKey = Self.key(address) } }
    /// The ticker shown to humans, such as `USDC`.
    public var symbol: String
    /// The EIP-712 domain name the token expects (informational; Purse signs with the server's `extra.name`).
    public var eip712Name: String
    /// The EIP-712 domain version.
    public var eip712Version: String
    /// The token's decimals (6 for USDC).
    public var decimals: Int

    /// Creates an asset description.
    public init(network: String, address: String, symbol: String, eip712Name: String, eip712Version: String, decimals: Int) {
        self.network = network
        self.address = address
        self.addressKey = Self.key(address)
        self.symbol = symbol
        self.eip712Name = eip712Name
        self.eip712Version = eip712Version
        self.decimals = decimals
    }

    /// The address as a lookup key: lower-cased for EVM hex, as written for base58 (Solana),
    /// where case is part of the address.
    /// Kept with the address: every option of every offer is looked up by it.
    public private(set) var addressKey: String

    /// Whether `text` names this token's address: EVM hex in any case, base58 exactly. Compares
    /// in place, without the lower-cased copy `key` makes.
    public func hasAddress(_ text: String) -> Bool {
        guard text.utf8.count == addressKey.utf8.count else { return false }
        let hex = text.hasPrefix("0x") || text.hasPrefix("0X")
        var (text, key) = (text, addressKey)
        return text.withUTF8 { a in
            key.withUTF8 { b in
                for i in 0..<a.count where a[i] != b[i] {
                    guard hex, a[i] >= 0x41, a[i] <= 0x5a, a[i] | 0x20 == b[i] else { return false }
                }
                return true
            }
        }
    }

    /// The lookup key of any token address text (`addressKey`).
    public static func key(_ address: String) -> String {
        address.hasPrefix("0x") || address.hasPrefix("0X") ? address.lowercased() : address
    }

    /// Circle's USDC on the networks Purse knows out of the box (x402 reference SDK tables).
    public static let builtInUSDC: [AssetInfo] = [
        AssetInfo(network: "eip155:8453", address: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", symbol: "USDC", eip712Name: "USD Coin", eip712Version: "2", decimals: 6),
        AssetInfo(network: "eip155:84532", address: "0x036CbD53842c5426634e7929541eC2318f3dCF7e", symbol: "USDC", eip712Name: "USDC", eip712Version: "2", decimals: 6),
        AssetInfo(network: "eip155:1", address: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", symbol: "USDC", eip712Name: "USD Coin", eip712Version: "2", decimals: 6),
        AssetInfo(network: "eip155:137", address: "0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359", symbol: "USDC", eip712Name: "USD Coin", eip712Version: "2", decimals: 6),
        AssetInfo(network: "eip155:42161", address: "0xaf88d065e77c8cC2239327C5EDb3A432268e5831", symbol: "USDC", eip712Name: "USD Coin", eip712Version: "2", decimals: 6),
        AssetInfo(network: "eip155:421614", address: "0x75faf114eafb1BDbe2F0316DF893fd58CE46AA4d", symbol: "USDC", eip712Name: "USD Coin", eip712Version: "2", decimals: 6),
        AssetInfo(network: "eip155:43114", address: "0xB97EF9Ef8734C71904D8002F8b6Bc66Dd9c48a6E", symbol: "USDC", eip712Name: "USD Coin", eip712Version: "2", decimals: 6),
        // SPL mints have no EIP-712 domain; the names are left empty.
        AssetInfo(network: Network.solanaMainnet, address: "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", symbol: "USDC", eip712Name: "", eip712Version: "", decimals: 6),
        AssetInfo(network: Network.solanaDevnet, address: "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU", symbol: "USDC", eip712Name: "", eip712Version: "", decimals: 6),
    ]
}
