/// A `PaymentApprover` that puts the question to a human through an `ApprovalAsker` (MCP
/// elicitation today) and maps the answer to the approval refusals, defined once.
public struct AskingApprover: PaymentApprover {
    let asker: any ApprovalAsker

    /// Creates an approver over `asker`.
    public init(asker: any ApprovalAsker) { self.asker = asker }

    public func approve(_ plan: PaymentPlan, budgetLeft: String) async -> FlowRefusal? {
        switch await asker.ask(ApprovalRequest(plan: plan, budgetLeft: budgetLeft)) {
        case .approved: nil
        case .declined: ApprovalRefusal.declined(plan)
        case .timedOut: ApprovalRefusal.timedOut(plan)
        case .unsupported: ApprovalRefusal.unsupported(plan)
        }
    }
}
