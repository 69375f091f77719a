/// Asks a human whether to make a payment above `policy.confirmAbove`.
public protocol PaymentApprover: Sendable {
    /// Returns nil when approved, or the refusal code and reason.
    func approve(_ plan: PaymentPlan, budgetLeft: String) async -> (code: String, reason: String)?
}

/// The approver used when no human can be asked (a client without elicitation, a script).
public struct NoApprover: PaymentApprover {
    /// Creates it.
    public init() {}
    public func approve(_ plan: PaymentPlan, budgetLeft: String) async -> (code: String, reason: String)? {
        ("approval.unsupported",
         "\(plan.priceText) is above policy.confirmAbove and no human can be asked here (the MCP client does not support elicitation). To allow such payments without asking, raise policy.confirmAbove in the config file.")
    }
}
