import Foundation
import Ledger
import PurseCore

/// Approval from the terminal, for clients that cannot ask the human (no elicitation).
///
/// Without an approval id it files the plan in the ledger as a pending approval and refuses with
/// `approval.required`, carrying the ticket (`purse approve ID` is what the human runs); the
/// driver then releases the reservation, so nothing is held while the human decides. With an id
/// (the agent's repeated call) it uses that approval for this plan, atomically in the ledger:
/// approved, not expired, never used, and the plan within its terms (`ApprovalTerms`). The
/// budget was already checked again by the reservation that precedes this question, because an
/// approval never raises a limit.
public struct TerminalApprover: PaymentApprover {
    let ledger: any PaymentLedger
    let sessionID: String
    let validitySeconds: Int
    let clock: @Sendable () -> Date
    /// The approval the caller says was granted, or nil to ask for one.
    public let approvalID: String?

    /// Creates the approver; `PaymentDriver.terminalApprover(approvalID:)` is the usual way.
    public init(ledger: any PaymentLedger, sessionID: String, validitySeconds: Int, approvalID: String?,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.ledger = ledger
        self.sessionID = sessionID
        self.validitySeconds = validitySeconds
        self.approvalID = approvalID
        self.clock = clock
    }

    public func approve(_ plan: PaymentPlan, budgetLeft: String) async -> FlowRefusal? {
        let (ledger, now) = (self.ledger, clock())
        if let id = approvalID {
            let terms = plan.approvalTerms
            do {
                _ = try await LedgerWork.run { () throws(ApprovalError) in
                    try ledger.useApproval(id: id, payment: terms, reference: plan.reference, now: now)
                }
                return nil
            } catch {
                return FlowRefusal(error)
            }
        }
        let request = NewApproval(
            id: NewApproval.newID(), sessionID: sessionID, method: plan.resource.method, url: plan.resource.url,
            assetSymbol: plan.asset.symbol, decimals: plan.asset.decimals, micros: plan.micros, paymentFlow: plan.paymentFlow,
            terms: plan.approvalTerms, expiresAt: Self.expiry(now: now, validitySeconds: validitySeconds))
        do {
            let record = try await LedgerWork.run { () throws(LedgerError) in try ledger.createApproval(request, now: now) }
            return ApprovalRefusal.required(plan, ticket: ApprovalTicket(record))
        } catch {
            return FlowRefusal(error)
        }
    }

    /// `now + validitySeconds`, down to a whole second: the expiry every face shows (ISO 8601,
    /// seconds) is then the exact one, never a moment before it.
    static func expiry(now: Date, validitySeconds: Int) -> Date {
        Date(timeIntervalSince1970: (now.timeIntervalSince1970 + Double(validitySeconds)).rounded(.down))
    }
}
