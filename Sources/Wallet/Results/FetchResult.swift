import HTTP

/// The result of one `paid_fetch` / `purse fetch` call.
public struct FetchResult: Sendable {
    /// How the call ended.
    public let outcome: FlowOutcome
    /// The answer to the last request sent (the 402 for a refusal, the paid answer after
    /// paying), when it got one.
    public let response: HTTPResponse?
    /// The ledger row, when a payment was reserved.
    public let paymentID: Int64?
    /// The budget after the call, when the ledger could be read.
    public let budget: BudgetSnapshot?
}
