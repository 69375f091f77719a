/// What a payment flow needs from outside, injected so the flow itself does no IO and is
/// deterministic under test: identity, time, randomness and the policy.
public struct FlowContext: Sendable {
    /// The paying address (checksummed).
    public var payer: String
    /// The current Unix time in seconds.
    public var now: Int64
    /// 32 fresh random bytes for the EIP-3009 nonce.
    public var nonce: [UInt8]
    /// A fresh payment identifier (used only if the server advertises the extension).
    public var paymentIdentifier: String
    /// The policy in effect.
    public var policy: Policy
    /// The caller's `max_price` in micro-units, which can only lower the cap.
    public var maxPriceMicros: Int64?
    /// The longest authorization window to sign, in seconds.
    public var validityCeilingSeconds: Int64
    /// The most times the same signed payload is sent.
    public var maxPaidAttempts: Int

    /// Creates a context.
    public init(payer: String, now: Int64, nonce: [UInt8], paymentIdentifier: String, policy: Policy,
                maxPriceMicros: Int64?, validityCeilingSeconds: Int64 = 300, maxPaidAttempts: Int = 3) {
        self.payer = payer
        self.now = now
        self.nonce = nonce
        self.paymentIdentifier = paymentIdentifier
        self.policy = policy
        self.maxPriceMicros = maxPriceMicros
        self.validityCeilingSeconds = validityCeilingSeconds
        self.maxPaidAttempts = maxPaidAttempts
    }
}
