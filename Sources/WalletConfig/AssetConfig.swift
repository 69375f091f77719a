import X402

/// A token the human added to a network in the configuration.
public struct AssetConfig: Sendable, Equatable {
    /// The token contract.
    public var address: String
    /// The EIP-712 domain name.
    public var name: String
    /// The EIP-712 domain version.
    public var version: String
    /// The token's decimals.
    public var decimals: Int
    /// The ticker shown to humans.
    public var symbol: String

    /// The asset as the selector sees it, on `network`.
    public func info(network: String) -> AssetInfo {
        AssetInfo(network: network, address: address, symbol: symbol, eip712Name: name, eip712Version: version, decimals: decimals)
    }
}
