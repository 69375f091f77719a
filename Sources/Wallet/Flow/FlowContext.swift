import PurseCore
import WalletConfig
import X402

/// What a payment flow needs from outside, injected so the flow itself does no IO and is
/// deterministic under test: identity, time, randomness and the policy.
public struct FlowContext: Sendable {
    /// The paying address.
    public var payer: Address
    /// The current Unix time in seconds.
    public var now: Int64
    /// A fresh nonce for the authorization.
    public var nonce: Nonce32
    /// A fresh payment identifier (used only if the server advertises the extension).
    public var paymentIdentifier: PaymentIdentifier
    /// The policy in effect.
    public var policy: Policy
    /// The caller's `max_price`, which can only lower the cap.
    public var maxPrice: Micros?
    /// The longest authorization window to sign, in seconds.
    public var validityCeilingSeconds: Int64
    /// The most times the same signed payload is sent.
    public var maxPaidAttempts: Int
    /// Whether a `sign-in-with-x` challenge may be answered (`payment.signIn`, and a channel
    /// that can carry the header).
    public var signIn: Bool
    /// The keys the human trusts to sign offers and receipts for this host (`payment.offerSigners`).
    public var offerSigners: [Address]
    /// The wallet's Solana account, when it has a Solana key.
    public var solanaPayer: SolanaAddress?
    /// The compute-unit price cap of each Solana network (`networks.<id>.maxComputeUnitPrice`);
    /// a network not listed has `NetworkConfig.defaultMaxComputeUnitPrice`.
    public var solanaPriceCaps: [String: UInt64]

    /// Creates a context.
    public init(payer: Address, now: Int64, nonce: Nonce32, paymentIdentifier: PaymentIdentifier, policy: Policy,
                maxPrice: Micros?, validityCeilingSeconds: Int64 = 300, maxPaidAttempts: Int = 3, signIn: Bool = true,
                offerSigners: [Address] = [], solanaPayer: SolanaAddress? = nil, solanaPriceCaps: [String: UInt64] = [:]) {
        self.payer = payer
        self.now = now
        self.nonce = nonce
        self.paymentIdentifier = paymentIdentifier
        self.policy = policy
        self.maxPrice = maxPrice
        self.validityCeilingSeconds = validityCeilingSeconds
        self.maxPaidAttempts = maxPaidAttempts
        self.signIn = signIn
        self.offerSigners = offerSigners
        self.solanaPayer = solanaPayer
        self.solanaPriceCaps = solanaPriceCaps
    }

    /// The compute-unit price cap on a Solana network.
    public func maxComputeUnitPrice(network: String) -> UInt64 {
        solanaPriceCaps[network] ?? NetworkConfig.defaultMaxComputeUnitPrice
    }
}
