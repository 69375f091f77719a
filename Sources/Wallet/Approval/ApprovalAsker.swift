/// Something that can ask a human to approve a payment.
public protocol ApprovalAsker: Sendable {
    /// Asks, and returns the decision; never throws.
    func ask(_ request: ApprovalRequest) async -> ApprovalDecision
}
