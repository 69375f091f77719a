import X402

/// The answer to the paid request, as the channel (HTTP, MCP) classified it.
public enum PaidAnswer: Sendable, Equatable {
    /// The content came back (HTTP 2xx; a tool result that is not payment-required), with the
    /// receipt if one could be read, or why it could not.
    case delivered(receipt: SettlementResponse?, receiptProblem: String?)
    /// The server asked for payment again, refusing this one (HTTP 402), with its reason.
    case rejected(receipt: SettlementResponse?, reason: String)
    /// The facilitator broadcast the transfer but could not confirm it (`settlement_pending`):
    /// not a failure. The outcome is unknown until the chain says; nothing is resent or re-signed.
    case pending(status: Int, receipt: SettlementResponse)
    /// A server error after the payment left (HTTP 5xx): the same bytes may be resent.
    case serverError(status: Int, receipt: SettlementResponse?)
    /// Any other answer (HTTP 3xx, 4xx): settled only if the receipt says so.
    case unexpected(status: Int, receipt: SettlementResponse?)
    /// An answer came back that cannot be read (an MCP result over the size cap, a JSON-RPC error
    /// after paying): whether the payment settled is unknown until the chain says; nothing is
    /// resent, since an answer did come.
    case unreadable(reason: String)
}
