import Testing
@testable import SpendReport

@Suite struct BlockExplorerTests {
    static let hash = "0x" + String(repeating: "ab", count: 32)

    @Test(arguments: [
        ("eip155:8453", "https://basescan.org/tx/"),
        ("eip155:84532", "https://sepolia.basescan.org/tx/"),
        ("eip155:1", "https://etherscan.io/tx/"),
        ("eip155:11155111", "https://sepolia.etherscan.io/tx/"),
    ])
    func knownNetworksLink(network: String, prefix: String) {
        #expect(BlockExplorer().transactionURL(network: network, txHash: Self.hash) == prefix + Self.hash)
    }

    @Test func localAndUnknownNetworksDoNotLink() {
        #expect(BlockExplorer(localNetworks: ["eip155:84532"]).transactionURL(network: "eip155:84532", txHash: Self.hash) == nil)
        #expect(BlockExplorer().transactionURL(network: "eip155:31337", txHash: Self.hash) == nil)
        #expect(BlockExplorer().transactionURL(network: "eip155:999999", txHash: Self.hash) == nil)
        #expect(BlockExplorer().transactionURL(network: "mcp:weather", txHash: Self.hash) == nil)
    }

    @Test(arguments: ["0x12", "0x" + String(repeating: "g", count: 64), Self.hash + "00", "ab" + String(repeating: "ab", count: 32),
                      "0x" + String(repeating: "ab", count: 31) + "/x"])
    func malformedHashesDoNotLink(tx: String) {
        #expect(BlockExplorer().transactionURL(network: "eip155:8453", txHash: tx) == nil)
    }

    @Test func solanaLinksWithTheCluster() {
        let sig = String(repeating: "5", count: 88)
        #expect(BlockExplorer().transactionURL(network: "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", txHash: sig)
            == "https://explorer.solana.com/tx/\(sig)?cluster=devnet")
        #expect(BlockExplorer().transactionURL(network: "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", txHash: "0OIl" + sig) == nil)
    }

    @Test(arguments: [
        ("http://127.0.0.1:8545", true), ("http://localhost:8545/rpc", true), ("http://[::1]:8545", true),
        ("http://user:pw@127.0.0.2:1/", true), ("http://node.localhost", true),
        ("https://sepolia.base.org", false), ("http://128.0.0.1", false), ("http://example.com/127.0.0.1", false), ("not a url", false),
    ])
    func localRPCs(url: String, local: Bool) {
        #expect(BlockExplorer.isLocalRPC(url) == local)
    }
}
