/// What an MCP tool answer says about payment, as `MCPPaymentBinding.recognise` reads it.
public enum MCPPaymentSignal: Sendable, Equatable {
    /// Not a payment-required answer: the tool's own result (or its own error).
    case none
    /// A payment-required answer with a readable offer, and the convention it came in.
    case paymentRequired(PaymentRequired, MCPPaymentConvention)
    /// A payment-required answer whose offer could not be read (it names the field).
    case unreadable(X402Error, MCPPaymentConvention)

    /// The convention, when the answer asked for payment.
    public var convention: MCPPaymentConvention? {
        switch self {
        case .none: nil
        case let .paymentRequired(_, c), let .unreadable(_, c): c
        }
    }
}
