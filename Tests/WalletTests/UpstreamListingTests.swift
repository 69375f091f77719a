import MCPUpstream
import PurseCore
import Testing
@testable import Wallet
@testable import X402

/// How upstream tools are listed: `NAME__TOOL`, shadowing refused, schemas and annotations
/// unchanged, descriptions prefixed, prices declared at list time read.
@Suite struct UpstreamListingTests {
    static let assets = [AssetInfo(network: "eip155:84532", address: WalletFixture.token, symbol: "USDC", eip712Name: "USDC", eip712Version: "2", decimals: 6)]

    static func tool(_ name: String, _ extra: JSONObject = [:]) -> UpstreamTool {
        var o: JSONObject = ["name": .string(name), "inputSchema": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]]]
        for m in extra.members { o[m.key] = m.value }
        return UpstreamTool(name: name, raw: o)
    }

    @Test func namesAreMangledAndSplitOnTheFirstDoubleUnderscore() {
        #expect(UpstreamToolName.listed(upstream: "weather", tool: "get_weather") == "weather__get_weather")
        #expect(UpstreamToolName.listed(upstream: "w", tool: "a__b") == "w__a__b")
        #expect(UpstreamToolName.split("w__a__b")! == ("w", "a__b"))
        #expect(UpstreamToolName.split("weather__get_weather")! == ("weather", "get_weather"))
        #expect(UpstreamToolName.split("paid_fetch") == nil)
        #expect(UpstreamToolName.split("__x") == nil && UpstreamToolName.split("w__") == nil)
        #expect(UpstreamToolName.listed(upstream: "w", tool: "has space") == nil)
        #expect(UpstreamToolName.listed(upstream: "w", tool: "slash/y") == nil)
        #expect(UpstreamToolName.listed(upstream: "w", tool: String(repeating: "t", count: 126)) == nil)
        #expect(UpstreamToolName.listed(upstream: "w", tool: "v1.get-x") == "w__v1.get-x")
    }

    @Test func aToolNamedLikeOneOfPursesOwnIsRefusedWithAReason() {
        let (tools, refused) = UpstreamDirectory.listing(
            [("up", [Self.tool("paid_fetch"), Self.tool("ping")]), ("other", [Self.tool("bad name")])],
            reserved: ["paid_fetch", "quote"], assets: Self.assets)
        #expect(tools.map(\.name) == ["up__ping"])
        #expect(refused.map(\.tool) == ["paid_fetch", "bad name"])
        #expect(refused[0].reason.contains("Purse's own tool paid_fetch"))
    }

    @Test func schemasAndAnnotationsPassUnchangedAndTheDescriptionIsPrefixed() {
        let raw = Self.tool("get_weather", [
            "title": "Weather", "description": "Current weather.",
            "outputSchema": ["type": "object", "properties": ["temperature": ["type": "number"]]],
            "annotations": ["readOnlyHint": true, "title": "Local weather ($0.01)"],
            "_meta": ["x402": ["paymentRequired": true, "scheme": "exact", "network": "eip155:84532", "asset": .string(WalletFixture.token),
                               "amount": "10000", "payTo": .string(WalletFixture.seller), "accepts": [["scheme": "exact", "network": "eip155:84532",
                               "asset": .string(WalletFixture.token), "amount": "10000", "payTo": .string(WalletFixture.seller)]]]],
        ])
        let (tools, _) = UpstreamDirectory.listing([("weather", [raw])], reserved: [], assets: Self.assets)
        let d = tools[0].definition
        #expect(d["name"] == "weather__get_weather")
        #expect(d["inputSchema"] == raw.raw["inputSchema"] && d["outputSchema"] == raw.raw["outputSchema"] && d["annotations"] == raw.raw["annotations"])
        #expect(d["title"] == "Weather" && d["_meta"] == nil)
        #expect(d["description"] == "[weather] Costs 0.01 USDC per call (Purse pays within your budget). Current weather.")
        #expect(tools[0].price == DeclaredPrice(amount: "0.01", symbol: "USDC", network: "eip155:84532"))
    }

    @Test func pricesDeclaredTheCloudflareWayAndUnpricedTools() {
        let cf = Self.tool("t", ["_meta": ["agents-x402/paymentRequired": true, "agents-x402/priceUSD": .number("0.01")], "description": "d"])
        #expect(DeclaredPrice.read(cf, assets: Self.assets) == DeclaredPrice(amount: "0.01", symbol: "USD", network: nil))
        let paidNoPrice = Self.tool("t", ["_meta": ["agents-x402/paymentRequired": true]])
        #expect(DeclaredPrice.read(paidNoPrice, assets: Self.assets) == nil && DeclaredPrice.declaresPayment(paidNoPrice))
        #expect(ListedTool.description(upstream: "u", tool: paidNoPrice, price: nil).hasPrefix("[u] Paid: the price is asked at call time"))
        let free = Self.tool("t", ["description": "Free."])
        #expect(DeclaredPrice.read(free, assets: Self.assets) == nil && !DeclaredPrice.declaresPayment(free))
        #expect(ListedTool.description(upstream: "u", tool: free, price: nil) == "[u] Free.")
        let unknownToken = Self.tool("t", ["_meta": ["x402": ["amount": "5", "asset": "0x00000000000000000000000000000000DeaDBeef", "network": "eip155:84532"]]])
        #expect(DeclaredPrice.read(unknownToken, assets: Self.assets)?.text == "costs 5 units of 0x00000000000000000000000000000000DeaDBeef per call")
        let nonsense = Self.tool("t", ["_meta": ["agents-x402/priceUSD": "lots", "x402": 7]])
        #expect(DeclaredPrice.read(nonsense, assets: Self.assets) == nil)
    }

    /// A declared asset is recognized as the selector recognizes an offer's (`AssetInfo.hasAddress`):
    /// EVM hex in any case, a Solana mint only as written (base58 is case-sensitive).
    @Test func aDeclaredAssetIsMatchedAsTheSelectorMatchesOffers() {
        let mint = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
        let assets = Self.assets + [AssetInfo(network: Network.solanaDevnet, address: mint, symbol: "USDC", eip712Name: "", eip712Version: "", decimals: 6)]
        func declared(_ asset: String, _ network: String) -> UpstreamTool {
            Self.tool("t", ["_meta": ["x402": ["amount": "10000", "asset": .string(asset), "network": .string(network)]]])
        }
        #expect(DeclaredPrice.read(declared(mint, Network.solanaDevnet), assets: assets)
            == DeclaredPrice(amount: "0.01", symbol: "USDC", network: Network.solanaDevnet))
        #expect(DeclaredPrice.read(declared(mint.lowercased(), Network.solanaDevnet), assets: assets)?.symbol == "units of \(mint.lowercased())")
        #expect(DeclaredPrice.read(declared(WalletFixture.token.uppercased().replacingOccurrences(of: "0X", with: "0x"), "eip155:84532"), assets: assets)
            == DeclaredPrice(amount: "0.01", symbol: "USDC", network: "eip155:84532"))
    }
}
