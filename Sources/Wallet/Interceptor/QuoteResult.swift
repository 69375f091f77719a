import HTTP
import PurseCore
import X402

/// What a server asks for and what Purse would do about it, without paying.
public struct QuoteResult: Sendable {
    /// The unpaid response.
    public let response: HTTPResponse?
    /// The offer, when the response was a parseable 402.
    public let offer: PaymentRequired?
    /// The verdict on each option, when there was an offer.
    public let selection: Selection?
    /// Why Purse would not pay (host rules, budget, no acceptable option, unreadable offer), or nil if it would.
    public let refusal: (any CodedError)?
}
