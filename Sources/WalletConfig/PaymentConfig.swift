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

    /// Creates the defaults.
    public init() {}
}
