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

    /// No human can be asked here.
    public static func unsupported(_ plan: PaymentPlan) -> FlowRefusal {
        FlowRefusal(
            code: "approval.unsupported",
            message: "\(plan.priceText) is above policy.confirmAbove and no human can be asked here (the MCP client does not support elicitation). To allow such payments without asking, raise policy.confirmAbove in the config file.")
    }
}
