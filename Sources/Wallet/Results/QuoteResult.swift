import HTTP
import X402

/// What a server asks for and what Purse would do about it, without paying: the dry run of
/// the same flow and budget check that `fetch` runs.
public struct QuoteResult: Sendable {
    /// The unpaid response.
    public let response: HTTPResponse?
    /// The offer, when the response was a parseable 402.
    public let offer: PaymentRequired?
    /// The verdict on each option, when there was an offer.
    public let selection: Selection?
    /// The plan Purse would pay, when the policy allowed an option.
    public let plan: PaymentPlan?
    /// Why Purse would not pay, with the same code and message `fetch` would refuse with; nil
    /// if it would pay.
    public let refusal: FlowRefusal?
    /// What Purse would do with a sign-in challenge (sign in first, or why not), when offered one.
    public let signIn: SignInNote?
}
