import PurseCore

/// What the ledger knows of an earlier settled payment of this wallet for the same resource: the
/// grounds for answering a `sign-in-with-x` challenge instead of paying again.
public struct PriorPayment: Sendable, Equatable {
    /// The ledger row.
    public let paymentID: Int64
    /// The CAIP-2 network it was paid on: the only chain Purse signs in for.
    public let network: String

    /// Creates a prior payment.
    public init(paymentID: Int64, network: String) {
        self.paymentID = paymentID
        self.network = network
    }
}
