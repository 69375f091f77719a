import HTTP
import PurseCore
import X402

/// x402 over HTTP: the 402 answer carries the offer (`PAYMENT-REQUIRED` header, or the JSON
/// body for v1), the paid retry carries `PAYMENT-SIGNATURE`/`X-PAYMENT`, and the receipt comes
/// back in `PAYMENT-RESPONSE`/`X-PAYMENT-RESPONSE`.
///
/// The target is parsed once by libcurl's own parser (`HTTPURL`), so the policy judges the host
/// libcurl will connect to, and the paid retry goes to exactly the URL that asked for payment
/// (redirects are never followed).
public struct HTTPPaymentChannel: PaymentChannel {
    /// The caller's request, sent as is (unpaid) and with the payment header (paid).
    public let request: HTTPRequest
    public let resource: PaymentResource
    private let http: any HTTPClient

    /// Parses the request's URL; an unusable URL is refused as a transport failure (nothing sent).
    public init(request: HTTPRequest, http: any HTTPClient) throws(FlowRefusal) {
        let target: HTTPURL
        do { target = try HTTPURL.parse(request.url) } catch { throw FlowRefusal(error, isTransportFailure: true) }
        self.request = request
        let origin = WebOrigin(scheme: target.scheme, host: target.host.name, port: target.port)
        self.resource = PaymentResource(method: request.method, url: request.url, host: target.host, origin: origin, path: target.path)
        self.http = http
    }

    public func preflight() -> FlowRefusal? {
        for name in PaymentPayload.httpHeaderNames + [SignInChallenge.headerName] where request.headers.contains(name) {
            return FlowRefusal(code: "request.payment_header_set",
                               message: "the request already carries a \(name) header; Purse makes payments itself")
        }
        return nil
    }

    public func sendUnpaid() async -> ChannelAnswer<HTTPResponse> { await send(request) }

    public func sendPaid(_ payload: PaymentPayload) async -> ChannelAnswer<HTTPResponse> {
        var paid = request
        paid.headers.set(payload.httpHeaderName, payload.base64)
        return await send(paid)
    }

    public var supportsSignIn: Bool { true }

    public func sendSignedIn(_ credential: SignInCredential) async -> ChannelAnswer<HTTPResponse> {
        var signedIn = request
        signedIn.headers.set(SignInChallenge.headerName, credential.headerValue)
        return await send(signedIn)
    }

    public func signInAnswer(_ r: HTTPResponse) -> SignInAnswer { Self.signInAnswer(r) }

    public func unpaidAnswer(_ r: HTTPResponse) -> UnpaidAnswer { Self.unpaidAnswer(r) }
    public func paidAnswer(_ r: HTTPResponse) -> PaidAnswer { Self.paidAnswer(r) }
    public func status(of r: HTTPResponse) -> Int? { r.status }

    private func send(_ r: HTTPRequest) async -> ChannelAnswer<HTTPResponse> {
        do { return .answered(try await http.send(r)) } catch {
            return .failed(FlowRefusal(error), mayHaveBeenSent: error.requestMayHaveBeenSent)
        }
    }

    /// Any status but 402 needs no payment; a 402 carries the offer.
    public static func unpaidAnswer(_ r: HTTPResponse) -> UnpaidAnswer {
        guard r.status == 402 else { return .notPaymentRequired }
        do { return .offer(try PaymentRequiredParser.parse(header: { r.headers[$0] }, body: r.body)) } catch {
            return .unreadableOffer(error)
        }
    }

    /// 2xx: let in; 402: still asks for payment (with its fresh offer); anything else: other.
    public static func signInAnswer(_ r: HTTPResponse) -> SignInAnswer {
        switch r.status {
        case 200..<300: return .accepted
        case 402:
            switch unpaidAnswer(r) {
            case let .offer(offer): return .paymentRequired(offer)
            case let .unreadableOffer(e): return .unreadableOffer(e)
            case .notPaymentRequired: return .other(status: r.status)
            }
        default: return .other(status: r.status)
        }
    }

    /// 2xx delivered; a receipt saying `settlement_pending` (on any other status) pending; 402
    /// refused (with the facilitator's reason when given); 5xx a server error; anything else
    /// unexpected. The receipt header is read in every case.
    public static func paidAnswer(_ r: HTTPResponse) -> PaidAnswer {
        let receipt: SettlementResponse?
        var problem: String?
        do { receipt = try SettlementResponse.parse(header: { r.headers[$0] }) } catch {
            receipt = nil
            problem = error.message
        }
        if !(200..<300).contains(r.status), let receipt, !receipt.success, receipt.errorReason == SettlementResponse.pendingReason {
            return .pending(status: r.status, receipt: receipt)
        }
        switch r.status {
        case 200..<300:
            return .delivered(receipt: receipt, receiptProblem: problem)
        case 402:
            let reason = receipt?.errorReason
                ?? (try? PaymentRequiredParser.parse(header: { r.headers[$0] }, body: r.body))?.error
                ?? "the server answered 402 again"
            return .rejected(receipt: receipt, reason: reason)
        case 500..<600:
            return .serverError(status: r.status, receipt: receipt)
        default:
            return .unexpected(status: r.status, receipt: receipt)
        }
    }
}
