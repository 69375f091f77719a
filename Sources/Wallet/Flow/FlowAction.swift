import HTTP

/// What the payment flow asks its driver to do next.
public enum FlowAction: Sendable {
    /// Send the caller's request, unpaid.
    case send(HTTPRequest)
    /// Reserve the plan's amount in the ledger (refusing if a budget would be crossed).
    case reserve(PaymentPlan)
    /// Ask the human to approve the plan.
    case askApproval(PaymentPlan)
    /// Sign the plan's EIP-3009 authorization.
    case sign(PaymentPlan)
    /// Send the paid request. On attempt 1 the driver first marks the ledger row `sent`; later
    /// attempts carry the very same bytes, after waiting `delayMilliseconds`.
    case sendPaid(HTTPRequest, attempt: Int, delayMilliseconds: Int)
    /// Stop, with the outcome and what to record.
    case finish(FlowOutcome)
}
