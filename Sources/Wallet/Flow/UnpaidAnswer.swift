import X402

/// The answer to the unpaid request, as the channel (HTTP, MCP) classified it.
public enum UnpaidAnswer: Sendable, Equatable {
    /// No payment asked for (any HTTP status but 402; a tool result that is not payment-required).
    case notPaymentRequired
    /// A payment-required answer with a readable offer.
    case offer(PaymentRequired)
    /// A payment-required answer whose offer could not be read.
    case unreadableOffer(X402Error)
}
