import HTTP

/// An `HTTPClient` that records each send on a `Timeline` (`unpaid send`, then `paid send`).
struct TimedHTTPClient: HTTPClient {
    let inner: any HTTPClient
    let timeline: Timeline

    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let paid = request.headers["PAYMENT-SIGNATURE"] != nil || request.headers["X-PAYMENT"] != nil
        return try await timeline.span(paid ? "paid send (round trip + seller verify)" : "unpaid send (round trip)") { () async throws(HTTPError) in
            try await inner.send(request)
        }
    }
}
