/// Asks `first`, and when it answers that no human can be asked there (`approval.unsupported`,
/// such as an elicitation request the client turned out not to handle), asks `fallback` instead:
/// the terminal is the style of last resort, never a refusal nobody can lift.
public struct FallbackApprover: PaymentApprover {
    let first: any PaymentApprover
    let fallback: any PaymentApprover

    /// Creates the pair.
    public init(first: any PaymentApprover, fallback: any PaymentApprover) {
        self.first = first
        self.fallback = fallback
    }

    public func approve(_ plan: PaymentPlan, budgetLeft: String) async -> FlowRefusal? {
        let refusal = await first.approve(plan, budgetLeft: budgetLeft)
        guard refusal?.code == ApprovalRefusal.unsupportedCode else { return refusal }
        return await fallback.approve(plan, budgetLeft: budgetLeft)
    }
}
