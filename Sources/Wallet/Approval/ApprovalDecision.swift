/// What the human (or the absence of one) said about a payment.
public enum ApprovalDecision: Sendable, Equatable {
    /// The human approved the payment.
    case approved
    /// The human declined, cancelled, or approved with `approve == false`.
    case declined
    /// No answer arrived in time (or the client went away).
    case timedOut
    /// The client cannot ask a human (no `elicitation` form capability).
    case unsupported
}
