import Foundation
import Ledger
import PurseCore

/// The human's side of terminal approvals (`purse approvals`, `purse approve`, `purse deny`):
/// reads and answers the approvals the wallet filed in the ledger.
///
/// It needs the config and the ledger only, never the key: approving is the human's act, done
/// in a shell, and no MCP tool can reach it.
public struct ApprovalDesk: Sendable {
    let ledger: any PaymentLedger
    let policy: Policy
    let clock: @Sendable () -> Date

    /// A desk over `ledger`, with `policy` for the budget shown next to each request.
    public init(ledger: any PaymentLedger, policy: Policy, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.ledger = ledger
        self.policy = policy
        self.clock = clock
    }

    /// The current time on this desk's clock.
    public var now: Date { clock() }

    /// Approvals waiting for the human (with `all`, every approval), newest first.
    public func list(all: Bool, limit: Int? = nil) throws(LedgerError) -> [ApprovalRecord] {
        try ledger.approvals(pendingOnly: !all, now: clock(), limit: limit)
    }

    /// One approval, or `approval.unknown`.
    public func record(_ id: String) throws(ApprovalError) -> ApprovalRecord {
        do {
            guard let r = try ledger.approval(id: id) else { throw ApprovalError.unknown(id: id) }
            return r
        } catch let e as LedgerError { throw .ledger(e) } catch let e as ApprovalError { throw e } catch { throw .unknown(id: id) }
    }

    /// The budget left now for the session and host that asked (an approval never raises it;
    /// the payment is checked against it again when it is made).
    public func budget(for record: ApprovalRecord) -> BudgetSnapshot? {
        guard let u = try? ledger.usage(sessionID: record.sessionID, host: record.host, allHosts: false, now: clock()) else { return nil }
        return BudgetSnapshot(sessionSpent: u.sessionSpent, sessionLimit: policy.config.sessionBudget, dailySpent: u.dailySpent,
                              dailyLimit: policy.config.dailyBudget, symbol: policy.symbol)
    }

    /// Approves or denies.
    public func decide(_ id: String, approve: Bool) throws(ApprovalError) -> ApprovalRecord {
        try ledger.decideApproval(id: id, approve: approve, now: clock())
    }

    // MARK: - Views

    /// One approval as JSON (`purse approvals --json`).
    public static func json(_ r: ApprovalRecord, now: Date) -> JSONValue {
        var o: JSONObject = [
            "id": .string(r.id), "state": .string(r.state(at: now)), "command": .string("purse approve \(r.id)"),
            "createdAt": .string(ApprovalError.timestamp(r.createdAt)), "expiresAt": .string(ApprovalError.timestamp(r.expiresAt)),
            "amount": .string(r.approval.amountText), "amountAtomic": .string(String(r.amountAtomic)), "symbol": .string(r.assetSymbol),
            "network": .string(r.network), "asset": .string(r.asset.text), "payTo": .string(r.payTo.text),
            "payer": .string(r.payer.text), "host": .string(r.host.name), "method": .string(r.method), "url": .string(r.url),
            "paymentFlow": .string(r.paymentFlow), "sessionId": .string(r.sessionID),
        ]
        if let d = r.decidedAt { o["decidedAt"] = .string(ApprovalError.timestamp(d)) }
        if let u = r.usedAt { o["usedAt"] = .string(ApprovalError.timestamp(u)) }
        if let n = r.usedNonce { o["usedNonce"] = .string(n) }
        return .object(o)
    }

    /// What the human reads before answering: every term of the payment and the budget left.
    public static func text(_ r: ApprovalRecord, now: Date, budget: BudgetSnapshot?) -> String {
        let request = ApprovalRequest(
            amount: r.approval.amountText, symbol: r.assetSymbol, asset: r.asset.text, network: r.network,
            payTo: r.payTo.text, host: r.host.name, url: r.url, budgetLeft: budget?.summary ?? "unknown", paymentFlow: r.paymentFlow)
        return """
            Approval \(r.id) (\(r.state(at: now)))
            \(request.message)
            Method: \(r.method)
            Paying wallet: \(r.payer.text)
            Asked: \(ApprovalError.timestamp(r.createdAt)) by session \(r.sessionID)
            Expires: \(ApprovalError.timestamp(r.expiresAt))
            """
    }
}
