import X402

/// How one call reaches its seller, unpaid and paid: the seam through which a price enters the
/// payment flow.
///
/// An HTTP 402 is one channel (`HTTPPaymentChannel`); an MCP tool result that asks for payment
/// is another. Each classifies its own answers into the flow's `UnpaidAnswer`/`PaidAnswer` and
/// attaches the payload its own way; policy, budgets, approval, the ledger, signing and
/// reconcile are the same for every channel because they live in the flow and the driver.
public protocol PaymentChannel: Sendable {
    /// The raw answer type (an HTTP response, a tool result).
    associatedtype Response: Sendable

    /// What is bought, as the policy and the ledger see it.
    var resource: PaymentResource { get }
    /// A refusal before anything is sent (for example a request that already carries a payment).
    func preflight() -> FlowRefusal?
    /// Sends the call unpaid.
    func sendUnpaid() async -> ChannelAnswer<Response>
    /// Sends the call with `payload` attached; called again with the same payload on a resend.
    func sendPaid(_ payload: PaymentPayload) async -> ChannelAnswer<Response>
    /// Reads the answer to the unpaid call.
    func unpaidAnswer(_ response: Response) -> UnpaidAnswer
    /// Reads the answer to the paid call.
    func paidAnswer(_ response: Response) -> PaidAnswer
    /// The status recorded in the ledger for an answer (the HTTP status), if it has one.
    func status(of response: Response) -> Int?

    /// Whether this channel can carry a `sign-in-with-x` credential (HTTP can; others may not).
    var supportsSignIn: Bool { get }
    /// Sends the call unpaid with a signed sign-in attached.
    func sendSignedIn(_ credential: SignInCredential) async -> ChannelAnswer<Response>
    /// Reads the answer to the signed-in call.
    func signInAnswer(_ response: Response) -> SignInAnswer
}

extension PaymentChannel {
    /// Channels without a sign-in binding never sign in.
    public var supportsSignIn: Bool { false }

    /// Never called when `supportsSignIn` is false; fails without sending anything.
    public func sendSignedIn(_ credential: SignInCredential) async -> ChannelAnswer<Response> {
        .failed(FlowRefusal(code: "flow.sign_in_unsupported", message: "this channel cannot carry a sign-in"), mayHaveBeenSent: false)
    }

    /// Never called when `supportsSignIn` is false.
    public func signInAnswer(_ response: Response) -> SignInAnswer { .other(status: status(of: response) ?? 0) }
}

/// What sending over a channel gave.
public enum ChannelAnswer<Response: Sendable>: Sendable {
    /// An answer came back.
    case answered(Response)
    /// No answer. `mayHaveBeenSent` says whether the other side may have seen the request
    /// (which, for a paid call, means the payment may have been delivered).
    case failed(FlowRefusal, mayHaveBeenSent: Bool)
}
