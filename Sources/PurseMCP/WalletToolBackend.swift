import Foundation
import HTTP
import PurseCore
import Wallet
import X402

/// Connects the MCP tools to a `PurseWallet`: every spending tool goes through its one
/// `PaymentDriver`, and every read goes through its use cases (never the ledger directly).
public final class WalletToolBackend: PurseToolBackend {
    let wallet: PurseWallet
    /// The MCP tool use cases (configured upstreams, `paid_tool_call`, `tool_quote`).
    let upstreams: UpstreamGateway?

    /// Serves tools for an opened wallet (and, given a gateway, its upstreams' tools).
    public init(wallet: PurseWallet, upstreams: UpstreamGateway? = nil) {
        self.wallet = wallet
        self.upstreams = upstreams
    }

    public func clientConnected(name: String, version: String) async {
        await wallet.recordClient(name: version.isEmpty ? name : "\(name) \(version)")
    }

    public func terminalApprover(approvalID: String?) -> any PaymentApprover {
        wallet.driver.terminalApprover(approvalID: approvalID)
    }

    public func callTool(_ name: String, arguments: JSONObject, context: ToolCallContext) async -> ToolResult {
        switch name {
        case "paid_fetch": return await paidFetch(arguments, context: context)
        case "quote": return await quote(arguments)
        case "wallet_balance": return await balance(arguments)
        case "wallet_address":
            let address = wallet.signer.address.checksummed
            let s: JSONValue = ["address": .string(address), "networks": .array(wallet.policy.allowedNetworks.map(JSONValue.string))]
            return ToolResult(structured: s, summary: "Wallet \(address) pays on \(wallet.policy.allowedNetworks.joined(separator: ", ")).", isError: false)
        case "budget_status":
            do {
                let status = try await wallet.budgetStatus()
                return ToolResult(structured: status.json(), summary: status.text, isError: false)
            } catch { return .failure(error) }
        case "spend_log": return await spendLog(arguments)
        case "discover": return await discover(arguments)
        case "paid_tool_call": return await paidToolCall(arguments, context: context)
        case "tool_quote": return await toolQuote(arguments)
        default:
            return .failure(PurseError("mcp.unknown_tool", "unknown tool \(name)"))
        }
    }

    public func readResource(_ uri: String) async -> JSONValue? {
        switch uri {
        case "purse://spend-log": return await spendLog(["limit": 100]).structured
        case "purse://budget": return try? await wallet.budgetStatus().json()
        default: return nil
        }
    }

    /// Builds the HTTP request of `paid_fetch` and `quote` arguments (already schema-checked).
    static func request(_ a: JSONObject) -> HTTPRequest {
        var headers = HTTPHeaders()
        if case let .object(h)? = a["headers"] {
            for m in h.members { if let v = m.value.stringValue { headers.add(m.key, v) } }
        }
        return HTTPRequest(method: a["method"]?.stringValue?.uppercased() ?? "GET", url: a["url"]?.stringValue ?? "",
                           headers: headers, body: a["body"]?.stringValue.map { Array($0.utf8) })
    }

    private func paidFetch(_ a: JSONObject, context: ToolCallContext) async -> ToolResult {
        let cap: Micros?
        do { cap = try MaxPrice.parse(a["max_price"]?.stringValue, field: "max_price") } catch { return .failure(error) }
        let result = await wallet.driver.fetch(Self.request(a), maxPrice: cap, approver: context.approver)
        context.log(.info, "paid_fetch \(a["url"]?.stringValue ?? ""): \(result.outcomeName)")
        // approval_required is not an error: the call did its part (the approval is filed) and
        // the structured result carries what the agent needs next (`approval`).
        let isError: Bool
        switch result.outcome.kind {
        case .notPaymentRequired, .signedIn, .paid: isError = false
        case .refused where result.approval != nil: isError = false
        default: isError = true
        }
        return ToolResult(structured: result.json(), summary: result.summary, isError: isError)
    }

    private func quote(_ a: JSONObject) async -> ToolResult {
        let q = await wallet.driver.quote(Self.request(a))
        return ToolResult(structured: q.json(), summary: q.summary, isError: q.response == nil)
    }

    /// Catalog search with the wallet's verdict on each result; a failing catalog is reported
    /// under `sources`, and only when none answered is the call an error.
    private func discover(_ a: JSONObject) async -> ToolResult {
        let query: DiscoveryQuery
        do {
            query = try DiscoveryQuery.parse(
                query: a["query"]?.stringValue ?? "", maxPrice: a["max_price"]?.stringValue, network: a["network"]?.stringValue,
                type: a["type"]?.stringValue, limit: a["limit"]?.int64Value.flatMap { Int(exactly: $0) })
        } catch { return .failure(error) }
        do {
            let result = try await wallet.discovery.search(query)
            return ToolResult(structured: result.json(), summary: result.table(), isError: result.allFailed)
        } catch { return .failure(error) }
    }

    private func balance(_ a: JSONObject) async -> ToolResult {
        let network = a["network"]?.stringValue
        let address = wallet.signer.address.checksummed
        if let network, !wallet.policy.allowedNetworks.contains(network) {
            return .failure(PurseError("mcp.network_not_allowed", "network \(network) is not one of the allowed networks (\(wallet.policy.allowedNetworks.joined(separator: ", ")))"))
        }
        let (balances, failures) = await wallet.balances.read(network: network)
        let s = BalanceJSON.make(address: address, solanaAddress: wallet.signer.solanaAddress?.base58, balances: balances, failures: failures)
        var text = balances.map { "\($0.amount) \($0.symbol) on \($0.network)" }.joined(separator: "; ")
        if !failures.isEmpty { text += (text.isEmpty ? "" : "; ") + failures.map { "\($0.network) \($0.asset ?? ""): \($0.error)" }.joined(separator: "; ") }
        return ToolResult(structured: s, summary: "Balances of \(address): \(text.isEmpty ? "none" : text)", isError: balances.isEmpty && !failures.isEmpty)
    }

    private func spendLog(_ a: JSONObject) async -> ToolResult {
        do {
            let report = try await wallet.spendLog(session: a["session"]?.stringValue, limit: Int(a["limit"]?.int64Value ?? 20))
            return ToolResult(structured: report.json(), summary: report.table(), isError: false)
        } catch { return .failure(error) }
    }
}
