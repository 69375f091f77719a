import X402

/// The answer to a request sent with a `SIGN-IN-WITH-X` header, as the channel classified it.
public enum SignInAnswer: Sendable, Equatable {
    /// The server let the wallet in (HTTP 2xx): the content, with no payment.
    case accepted
    /// The server still asks for payment, with a (fresh) readable offer.
    case paymentRequired(PaymentRequired)
    /// The server still asks for payment, but its offer cannot be read.
    case unreadableOffer(X402Error)
    /// Any other answer (3xx, 4xx, 5xx): neither content nor a price.
    case other(status: Int)
}
