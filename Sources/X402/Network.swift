/// A blockchain network, normalized to its CAIP-2 id (`eip155:84532`).
public struct Network: Hashable, Sendable, CustomStringConvertible {
    /// The CAIP-2 id, such as `eip155:8453`.
    public let caip2: String
    /// The EVM chain id when the namespace is `eip155`.
    public let chainId: UInt64?

    /// Creates an EVM network from its chain id.
    public init(chainId: UInt64) {
        self.caip2 = "eip155:\(chainId)"
        self.chainId = chainId
    }

    private init(caip2: String, chainId: UInt64?) {
        self.caip2 = caip2
        self.chainId = chainId
    }

    /// Parses a CAIP-2 id or a legacy v1 network name (`base-sepolia`); nil when unknown or malformed.
    ///
    /// A CAIP-2 `eip155` reference must be a decimal chain id without leading zeros; other
    /// namespaces are kept as given (they are not EVM and cannot be paid by Purse).
    public static func parse(_ text: String) -> Network? {
        if let chainId = legacyChainIds[text] { return Network(chainId: chainId) }
        // Byte by byte: every allowed character is ASCII, so any other byte refuses the text (the
        // Character properties this used to ask for cost a Unicode table look-up per character).
        let utf8 = text.utf8
        guard utf8.count <= 80, let colon = utf8.firstIndex(of: 0x3a) else { return nil }
        let namespace = utf8[..<colon], reference = utf8[utf8.index(after: colon)...]
        guard !namespace.isEmpty, !reference.isEmpty else { return nil }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        func isLower(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7a }
        guard namespace.allSatisfy({ isLower($0) || isDigit($0) || $0 == 0x2d }) else { return nil }
        if namespace.elementsEqual("eip155".utf8) {
            guard reference.allSatisfy(isDigit), reference.first != 0x30 || reference.count == 1,
                  let id = UInt64(Substring(reference)), id > 0
            else { return nil }
            return Network(chainId: id)
        }
        guard reference.allSatisfy({ isLower($0) || isDigit($0) || ($0 >= 0x41 && $0 <= 0x5a) || $0 == 0x2d || $0 == 0x5f }) else { return nil }
        return Network(caip2: text, chainId: nil)
    }

    /// Whether this is an EVM (`eip155`) network.
    public var isEVM: Bool { chainId != nil }

    /// Whether this is a known test network (Purse allows only these unless mainnets are named in the config).
    public var isTestnet: Bool {
        guard let chainId else { return caip2 == Self.solanaDevnet }
        return Self.testnetChainIds.contains(chainId)
    }

    /// Solana mainnet (CAIP-2: the genesis hash's first 32 base58 characters).
    public static let solanaMainnet = "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp"
    /// Solana devnet.
    public static let solanaDevnet = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"


    /// A human name such as "Base Sepolia", when known.
    public var displayName: String? {
        guard let chainId else {
            return caip2 == Self.solanaMainnet ? "Solana" : caip2 == Self.solanaDevnet ? "Solana Devnet" : nil
        }
        return Self.displayNames[chainId]
    }

    public var description: String { caip2 }

    /// v1 network names and their chain ids (x402 reference SDKs; where TS and Python disagree,
    /// the name is left out rather than guessed).
    static let legacyChainIds: [String: UInt64] = [
        "base": 8453, "base-sepolia": 84532, "ethereum": 1, "sepolia": 11155111,
        "polygon": 137, "polygon-amoy": 80002, "avalanche": 43114, "avalanche-fuji": 43113,
        "abstract": 2741, "abstract-testnet": 11124, "iotex": 4689, "peaq": 3338,
        "sei": 1329, "skale-base-sepolia": 324705682, "megaeth": 4326, "monad": 143,
        "stable": 988, "stable-testnet": 2201, "arbitrum": 42161, "arbitrum-sepolia": 421614,
    ]


    static let testnetChainIds: Set<UInt64> = [84532, 11155111, 80002, 43113, 11124, 324705682, 2201, 421614, 31337, 1337]

    static let displayNames: [UInt64: String] = [
        8453: "Base", 84532: "Base Sepolia", 1: "Ethereum", 11155111: "Sepolia", 137: "Polygon",
        80002: "Polygon Amoy", 43114: "Avalanche", 43113: "Avalanche Fuji", 42161: "Arbitrum One",
        421614: "Arbitrum Sepolia",
    ]
}
