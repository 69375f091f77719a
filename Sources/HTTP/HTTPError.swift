// Purse HTTP module: why a request failed.

import PurseCore

/// Why an HTTP request produced no response.
public struct HTTPError: CodedError, Equatable {
    /// The kinds of failure, each with a stable code.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The URL could not be parsed, or has no host.
        case invalidURL = "http.invalid_url"
        /// The URL's scheme is not `http` or `https` (such as `file` or `ftp`).
        case unsupportedScheme = "http.unsupported_scheme"
        /// The method or a header field is malformed (such as a CR or LF in a value).
        case invalidRequest = "http.invalid_request"
        /// The host name did not resolve, or the connection failed.
        case connectFailed = "http.connect_failed"
        /// The TLS handshake failed: the server's certificate did not verify (untrusted CA,
        /// wrong host name, expired) or no common protocol; nothing was sent.
        case tls = "http.tls"
        /// A connect, total or low-speed time limit was hit.
        case timeout = "http.timeout"
        /// The response's header section exceeded `maxHeaderBytes`.
        case headersTooLarge = "http.headers_too_large"
        /// The calling task was cancelled.
        case cancelled = "http.cancelled"
        /// Any other transport failure, such as the connection closing mid-response.
        case transport = "http.transport"
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// A human-readable detail, such as libcurl's message.
    public let detail: String
    /// False only when no byte of the request can have reached the server; true otherwise.
    public let requestMayHaveBeenSent: Bool

    /// Creates an error.
    public init(_ kind: Kind, _ detail: String, requestMayHaveBeenSent: Bool) {
        self.kind = kind
        self.detail = detail
        self.requestMayHaveBeenSent = requestMayHaveBeenSent
    }

    /// The stable code, such as `http.timeout`.
    public var code: String { kind.rawValue }

    /// A one-line explanation.
    public var message: String {
        let what = switch kind {
        case .invalidURL: "invalid URL"
        case .unsupportedScheme: "only http and https URLs are allowed"
        case .invalidRequest: "malformed request"
        case .connectFailed: "could not connect"
        case .tls: "the TLS handshake failed"
        case .timeout: "the request timed out"
        case .headersTooLarge: "the response headers are too large"
        case .cancelled: "the request was cancelled"
        case .transport: "the HTTP transfer failed"
        }
        let sent = requestMayHaveBeenSent ? "the server may have received the request" : "nothing was sent"
        return detail.isEmpty ? "\(what) (\(sent))" : "\(what): \(detail) (\(sent))"
    }
}
