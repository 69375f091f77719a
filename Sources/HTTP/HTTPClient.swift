// Purse HTTP module: the edge protocol the wallet talks to.

/// Sends HTTP requests. Implementations are safe to call from many tasks at once.
public protocol HTTPClient: Sendable {
    /// Sends one request and returns the response, never following redirects.
    ///
    /// - Throws: `HTTPError`; its `requestMayHaveBeenSent` says whether the server may have
    ///   seen the request, which decides whether a payment may have been delivered.
    func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse
}
