/// Asks a human whether to make a payment above `policy.confirmAbove`.
///
/// One question ("may I pay this plan?") with several transports (MCP elicitation, the
/// input-required round trip, the terminal); the answer is bound to the exact plan.
public protocol PaymentApprover: Sendable {
    /// Returns nil when approved, or why not (`ApprovalRefusal`).
    func approve(_ plan: PaymentPlan, budgetLeft: String) async -> FlowRefusal?
}

/// The approver used when no human can be asked (a client without elicitation, a script).
public struct NoApprover: PaymentApprover {
    /// Creates it.
    public init() {}
    public func approve(_ plan: PaymentPlan, budgetLeft: String) async -> FlowRefusal? { ApprovalRefusal.unsupported(plan) }
}
