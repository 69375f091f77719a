import PurseCore

/// How Purse signs and retries payments.
public struct PaymentConfig: Sendable, Equatable {
    /// The longest authorization window Purse signs, in seconds, whatever the server asks (default 300).
    public var validityCeilingSeconds: Int64 = 300
    /// How many times the same signed payload is sent at most when the paid request gets no answer (default 3).
    public var maxPaidAttempts: Int = 3
    /// How long to wait for a human's approval, in seconds (default 120).
    public var approvalTimeoutSeconds: Int = 120
    /// How long a terminal approval (`purse approve`) stays usable after it was asked for, in
    /// seconds (default 600): the human has this long to approve and the agent to repeat the call.
    public var approvalValiditySeconds: Int = 600
    /// Whether Purse answers a `sign-in-with-x` challenge of a resource this wallet already paid
    /// by signing in (an EIP-4361 signature, no money) before paying again (default true).
    public var signIn: Bool = true
    /// Keys the human trusts to sign offers and receipts (`offer-receipt`) per host. A host listed
    /// here must sign its offers with one of them (or its `payTo` key), or Purse refuses to pay.
    public var offerSigners: [HostName: [Address]] = [:]

    /// Creates the defaults.
    public init() {}
}
