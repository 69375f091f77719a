// Purse HTTP module: what to send.

/// One HTTP request: method, absolute URL, header fields and an optional body.
public struct HTTPRequest: Sendable, Equatable {
    /// The method token, such as `GET`, `POST` or `HEAD` (case-sensitive, as HTTP says).
    public var method: String
    /// The absolute `http://` or `https://` URL.
    public var url: String
    /// The header fields to send. `Content-Length`, `Transfer-Encoding` and `Expect` are managed
    /// by the client; `User-Agent` and `Accept` get defaults when absent.
    public var headers: HTTPHeaders
    /// The body to send byte for byte, or nil for none.
    public var body: [UInt8]?

    /// Creates a request.
    public init(method: String = "GET", url: String, headers: HTTPHeaders = .init(), body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
