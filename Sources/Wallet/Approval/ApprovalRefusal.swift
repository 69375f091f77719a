import Ledger

/// The approval refusals, defined once for every face (CLI, MCP) and every approval style.
public enum ApprovalRefusal {
    /// The human said no.
    public static func declined(_ plan: PaymentPlan) -> FlowRefusal {
        FlowRefusal(code: "approval.declined", message: "the human declined the payment of \(plan.priceText) to \(plan.host)")
    }

    /// Nobody answered in time.
    public static func timedOut(_ plan: PaymentPlan) -> FlowRefusal {
        FlowRefusal(code: "approval.timeout", message: "nobody approved the payment of \(plan.priceText) in time; nothing was paid")
    }

    /// The code of `unsupported`.
    public static let unsupportedCode = "approval.unsupported"
    /// The code of `required`.
    public static let requiredCode = "approval.required"
    /// The code of `inputRequired`.
    public static let inputRequiredCode = "approval.input_required"

    /// The payment waits for the human at the terminal (`ticket`); nothing was paid.
    public static func required(_ plan: PaymentPlan, ticket: ApprovalTicket) -> FlowRefusal {
        FlowRefusal(
            code: requiredCode,
            message: "\(plan.priceText) to \(plan.host) needs the human's approval: ask them to run `\(ticket.command)` in a terminal, then repeat this call with approval_id \"\(ticket.id)\" (valid until \(ApprovalError.timestamp(ticket.expiresAt))). Nothing was paid.",
            approval: ticket)
    }

    /// The MCP client is asked for the human's answer in an input-required result; this call
    /// ends without paying and the client retries with the answer.
    public static func inputRequired(_ plan: PaymentPlan) -> FlowRefusal {
        FlowRefusal(code: inputRequiredCode, message: "\(plan.priceText) to \(plan.host) waits for the human's answer; nothing was paid")
    }

    /// The answer came back for a different payment than the one asked about.
    public static func mismatch(_ plan: PaymentPlan, detail: String) -> FlowRefusal {
        FlowRefusal(code: "approval.mismatch", message: "the approval does not match this payment of \(plan.priceText) to \(plan.host): \(detail); nothing was paid")
    }

    /// No human can be asked here.
    public static func unsupported(_ plan: PaymentPlan) -> FlowRefusal {
        FlowRefusal(
            code: unsupportedCode,
            message: "\(plan.priceText) is above policy.confirmAbove and no human can be asked here (the MCP client does not support elicitation). To allow such payments without asking, raise policy.confirmAbove in the config file.")
    }
}
