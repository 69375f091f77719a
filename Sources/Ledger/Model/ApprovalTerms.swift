import PurseCore

/// What a human approved: the limits one later payment must stay within.
///
/// This is the one binding rule for every approval style (the terminal's `purse approve`, the
/// MCP input-required round trip): a payment is within the terms when it goes to the same payee,
/// on the same network, in the same token, for the same host and from the same payer, and costs
/// no more than the approved amount. The payment is priced again when it is made (a new 402), so
/// a seller that lowers its price is still within the terms and one that raises it is not.
public struct ApprovalTerms: Sendable, Equatable {
    /// The host that asked for the payment.
    public var host: HostName
    /// The CAIP-2 network.
    public var network: String
    /// The token contract.
    public var asset: ChainAccount
    /// The payee.
    public var payTo: ChainAccount
    /// The paying address (a ledger shared by several wallets keeps their approvals apart).
    public var payer: ChainAccount
    /// The most that may be paid, in the token's smallest unit.
    public var amountAtomic: Int64

    /// Creates terms.
    public init(host: HostName, network: String, asset: ChainAccount, payTo: ChainAccount, payer: ChainAccount, amountAtomic: Int64) {
        self.host = host
        self.network = network
        self.asset = asset
        self.payTo = payTo
        self.payer = payer
        self.amountAtomic = amountAtomic
    }

    /// Why `payment` is not within these terms, naming the first field that differs; nil when it is.
    public func mismatch(_ payment: ApprovalTerms) -> String? {
        if payment.payTo != payTo { return "the payee is \(payment.payTo), the approval is for \(payTo)" }
        if payment.host != host { return "the host is \(payment.host), the approval is for \(host)" }
        if payment.network != network { return "the network is \(payment.network), the approval is for \(network)" }
        if payment.asset != asset { return "the token is \(payment.asset), the approval is for \(asset)" }
        if payment.payer != payer { return "the paying wallet is \(payment.payer), the approval is for \(payer)" }
        if payment.amountAtomic > amountAtomic {
            return "the price is \(payment.amountAtomic) atomic units, more than the \(amountAtomic) approved"
        }
        return nil
    }
}
