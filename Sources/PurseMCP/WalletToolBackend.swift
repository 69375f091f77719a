import Foundation
import HTTP
import Ledger
import PurseCore
import Wallet
import X402

/// Connects the MCP tools to a `PurseWallet`: every spending tool goes through the one `Interceptor`.
public final class WalletToolBackend: PurseToolBackend {
    let wallet: PurseWallet

    /// Serves tools for an opened wallet.
    public init(wallet: PurseWallet) {
        self.wallet = wallet
    }

    public func clientConnected(name: String, version: String) async {
        try? wallet.ledger.setClientName(sessionID: wallet.session.id, name: "\(name) \(version)")
    }

    public func drain() async {
        await wallet.interceptor.drain()
    }

    public func callTool(_ name: String, arguments: JSONObject, context: ToolCallContext) async -> ToolResult {
        switch name {
        case "paid_fetch": return await paidFetch(arguments, context: context)
        case "quote": return await quote(arguments)
        case "wallet_balance": return await balance(arguments)
        case "wallet_address":
            let s: JSONValue = ["address": .string(wallet.signer.address), "networks": .array(wallet.policy.allowedNetworks.map(JSONValue.string))]
            return ToolResult(structured: s, summary: "Wallet \(wallet.signer.address) pays on \(wallet.policy.allowedNetworks.joined(separator: ", ")).", isError: false)
        case "budget_status":
            do {
                let status = try BudgetStatus(policy: wallet.policy, ledger: wallet.ledger, sessionID: wallet.session.id)
                return ToolResult(structured: status.json(), summary: status.text, isError: false)
            } catch { return failure(error) }
        case "spend_log": return spendLog(arguments)
        default:
            return failure(PurseError("mcp.unknown_tool", "unknown tool \(name)"))
        }
    }

    public func readResource(_ uri: String) async -> JSONValue? {
        switch uri {
        case "purse://spend-log": return spendLog(["limit": 100]).structured
        case "purse://budget": return try? BudgetStatus(policy: wallet.policy, ledger: wallet.ledger, sessionID: wallet.session.id).json()
        default: return nil
        }
    }

    private func failure(_ e: any CodedError) -> ToolResult {
        ToolResult(structured: ["error": ["code": .string(e.code), "message": .string(e.message)]], summary: "\(e.message) [\(e.code)]", isError: true)
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

    private func maxPrice(_ a: JSONObject) -> Result<Int64?, PurseError> {
        guard let text = a["max_price"]?.stringValue else { return .success(nil) }
        guard let m = (try? AmountFormat.atomic(fromDecimal: text, decimals: 6)) else {
            return .failure(PurseError("mcp.bad_arguments", "max_price must be a decimal amount such as \"0.05\""))
        }
        return .success(m)
    }

    private func paidFetch(_ a: JSONObject, context: ToolCallContext) async -> ToolResult {
        let cap: Int64?
        switch maxPrice(a) {
        case let .success(c): cap = c
        case let .failure(e): return failure(e)
        }
        let approver = ElicitingApprover(asker: context.approval)
        let result = await wallet.interceptor.fetch(Self.request(a), maxPriceMicros: cap, approver: approver)
        context.log(.info, "paid_fetch \(a["url"]?.stringValue ?? ""): \(result.outcomeName)")
        let isError: Bool
        switch result.outcome.kind {
        case .notPaymentRequired, .paid: isError = false
        default: isError = true
        }
        return ToolResult(structured: result.json(), summary: result.summary, isError: isError)
    }

    private func quote(_ a: JSONObject) async -> ToolResult {
        let q = await wallet.interceptor.quote(Self.request(a))
        return ToolResult(structured: q.json(), summary: q.summary, isError: q.response == nil)
    }

    private func balance(_ a: JSONObject) async -> ToolResult {
        let network = a["network"]?.stringValue
        if let network, !wallet.policy.allowedNetworks.contains(network) {
            return failure(PurseError("mcp.network_not_allowed", "network \(network) is not one of the allowed networks (\(wallet.policy.allowedNetworks.joined(separator: ", ")))"))
        }
        let (balances, failures) = await wallet.balances.read(network: network)
        let s = BalanceJSON.make(address: wallet.signer.address, balances: balances, failures: failures)
        var text = balances.map { "\($0.amount) \($0.symbol) on \($0.network)" }.joined(separator: "; ")
        if !failures.isEmpty { text += (text.isEmpty ? "" : "; ") + failures.map { "\($0.network) \($0.asset ?? ""): \($0.error)" }.joined(separator: "; ") }
        return ToolResult(structured: s, summary: "Balances of \(wallet.signer.address): \(text.isEmpty ? "none" : text)", isError: balances.isEmpty && !failures.isEmpty)
    }

    private func spendLog(_ a: JSONObject) -> ToolResult {
        do {
            let sessions = try wallet.ledger.sessions()
            var sessionID: String?
            switch a["session"]?.stringValue {
            case nil: sessionID = nil
            case "current": sessionID = wallet.session.id
            case "last": sessionID = sessions.filter { $0.id != wallet.session.id }.max { $0.startedAt < $1.startedAt }?.id ?? wallet.session.id
            case let id?: sessionID = id
            }
            let limit = Int(a["limit"]?.int64Value ?? 20)
            let payments = try wallet.ledger.payments(PaymentFilter(since: nil, sessionID: sessionID, host: nil, status: nil, limit: limit))
            let now = Date()
            let usage = try wallet.ledger.usage(sessionID: wallet.session.id, host: nil, now: now)
            let report = SpendLogReport(payments: payments, sessions: sessions, limits: wallet.policy.budgetLimits, usage: usage, currentSessionID: wallet.session.id, now: now)
            return ToolResult(structured: report.json(), summary: report.table(), isError: false)
        } catch { return failure(error) }
    }
}

/// Asks the human through MCP elicitation before a payment above `policy.confirmAbove`.
struct ElicitingApprover: PaymentApprover {
    let asker: any ApprovalAsker

    func approve(_ plan: PaymentPlan, budgetLeft: String) async -> (code: String, reason: String)? {
        let request = ApprovalRequest(
            amount: AmountText.decimal(atomic: plan.requirement.amount.value, decimals: plan.asset.decimals), symbol: plan.asset.symbol,
            asset: plan.requirement.asset, network: plan.requirement.network?.caip2 ?? plan.requirement.networkText,
            payTo: plan.requirement.payTo, host: plan.host, url: plan.url, budgetLeft: budgetLeft)
        switch await asker.ask(request) {
        case .approved: return nil
        case .declined: return ("approval.declined", "the human declined the payment of \(plan.priceText) to \(plan.host)")
        case .timedOut: return ("approval.timeout", "nobody approved the payment of \(plan.priceText) in time; nothing was paid")
        case .unsupported: return await NoApprover().approve(plan, budgetLeft: budgetLeft)
        }
    }
}
