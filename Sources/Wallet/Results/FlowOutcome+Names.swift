extension FlowOutcome {
    /// The outcome's name in every face's JSON (`paid_fetch`, `purse fetch --json`, an upstream
    /// tool's `_meta`): `not_required`, `signed_in` (let in by a signed sign-in, nothing paid),
    /// `paid`, `refused`, `approval_required` (refused until the human approves; see the ticket),
    /// `error` (the request could not be made; nothing signed), `failed` (including a payment
    /// that settled up front while the content failed) or `unknown`. One table, so that a URL and
    /// an MCP tool that end the same way are named the same.
    public var name: String {
        switch kind {
        case .notPaymentRequired: "not_required"
        case .signedIn: "signed_in"
        case .paid: "paid"
        case let .refused(e) where e.approval != nil: "approval_required"
        case let .refused(e): e.isTransportFailure && signatures == 0 ? "error" : "refused"
        case .paymentFailed, .notDelivered: "failed"
        case .unknown: "unknown"
        }
    }

    /// The ledger status the payment's row ended in, by name (`recordedStatus`).
    public var ledgerStatus: String? { recordedStatus?.rawValue }
}
