import Foundation
import MCPUpstream
import PurseCore
import X402

/// The price an upstream declares for a tool at list time, in the tool's `_meta` (the keys met
/// in the wild: `x402` with the requirement, as Apify's server lists it; Cloudflare `agents`'
/// `agents-x402/priceUSD`). It is shown in the description and in `purse upstreams`, never paid
/// on: the payment always follows the call's own payment-required answer.
public struct DeclaredPrice: Sendable, Equatable {
    /// The amount as a decimal in whole units (`0.01`), or atomic units when the token is unknown.
    public let amount: String
    /// `USDC` (a known token), `USD` (a dollar price), or the token address.
    public let symbol: String
    /// The CAIP-2 network, when declared.
    public let network: String?

    /// `costs 0.01 USDC per call`.
    public var text: String { "costs \(amount) \(symbol) per call" }

    /// The tool `_meta` key of a requirement declared at list time.
    public static let x402Key = "x402"
    /// The tool `_meta` key of a dollar price declared at list time (Cloudflare `agents`).
    public static let priceUSDKey = "agents-x402/priceUSD"
    /// The tool `_meta` key saying a tool is paid (Cloudflare `agents`).
    public static let paidKey = "agents-x402/paymentRequired"

    /// Reads a tool's declared price; `assets` names the tokens Purse knows (for decimals and
    /// symbol). Nil when nothing usable is declared.
    public static func read(_ tool: UpstreamTool, assets: [AssetInfo]) -> DeclaredPrice? {
        guard let meta = tool.meta else { return nil }
        if case let .object(x)? = meta[x402Key] {
            let entry = x["accepts"]?.arrayValue?.first?.objectValue ?? x
            if let atomic = (entry["amount"] ?? entry["maxAmountRequired"])?.stringValue,
               let value = try? AtomicAmount(parsing: atomic, field: "amount"),
               let asset = entry["asset"]?.stringValue
            {
                let network = entry["network"]?.stringValue
                let canonical = network.flatMap { Network.parse($0)?.caip2 } ?? network
                if let known = assets.first(where: { $0.hasAddress(asset) && (canonical == nil || $0.network == canonical) }) {
                    return DeclaredPrice(amount: AmountText.decimal(atomic: value.value, decimals: known.decimals), symbol: known.symbol, network: canonical)
                }
                return DeclaredPrice(amount: String(value.value), symbol: "units of \(asset)", network: canonical)
            }
        }
        if case let .number(text)? = meta[priceUSDKey], let d = Double(text), d.isFinite, d >= 0, d < 1e12 {
            return DeclaredPrice(amount: text, symbol: "USD", network: nil)
        }
        if case let .string(text)? = meta[priceUSDKey], let d = Double(text.trimmingCharacters(in: ["$", " "])), d.isFinite, d >= 0, d < 1e12 {
            return DeclaredPrice(amount: text.trimmingCharacters(in: ["$", " "]), symbol: "USD", network: nil)
        }
        return nil
    }

    /// Whether a tool's `_meta` says it is paid (any of the keys), priced or not.
    public static func declaresPayment(_ tool: UpstreamTool) -> Bool {
        guard let meta = tool.meta else { return false }
        return meta[x402Key] != nil || meta[priceUSDKey] != nil || meta[paidKey]?.boolValue == true
    }

    /// JSON for `purse upstreams --json`.
    public var json: JSONValue {
        ["amount": .string(amount), "symbol": .string(symbol), "network": network.map(JSONValue.string) ?? .null]
    }
}
