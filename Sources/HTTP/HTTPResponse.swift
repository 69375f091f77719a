// Purse HTTP module: what came back.

/// One HTTP response as received: redirects are never followed, so a 3xx is returned as is.
public struct HTTPResponse: Sendable, Equatable {
    /// The status code of the final response (interim 1xx responses are skipped).
    public var status: Int
    /// The header fields of the final response, in order (trailers are not included).
    public var headers: HTTPHeaders
    /// The body, or its first `maxBodyBytes` bytes when `truncated` is true.
    public var body: [UInt8]
    /// Whether the body was longer than the cap and reading stopped there.
    public var truncated: Bool
    /// The absolute target of a redirect (from `Location`), when the status is a redirect.
    public var redirectLocation: String?
    /// The URL that was actually requested (the request's URL, since redirects are not followed).
    public var effectiveURL: String

    /// Creates a response.
    public init(
        status: Int,
        headers: HTTPHeaders = .init(),
        body: [UInt8] = [],
        truncated: Bool = false,
        redirectLocation: String? = nil,
        effectiveURL: String = ""
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.truncated = truncated
        self.redirectLocation = redirectLocation
        self.effectiveURL = effectiveURL
    }
}
