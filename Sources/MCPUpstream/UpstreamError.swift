// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.
import PurseCore

/// Why talking to an upstream MCP server failed. Codes are stable (`upstream.*`).
///
/// `requestMayHaveBeenSent` decides what a failure means for a paid call: when the upstream may
/// have seen the request, the payment may have been delivered, and the payment flow treats the
/// outcome as unknown (resending the same bytes at most, never signing again).
public struct UpstreamError: CodedError, Equatable {
    /// The kinds of failure, each with a stable code.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The upstream is not connected (starting, restarting after a crash, or failed).
        case notConnected = "upstream.not_connected"
        /// The child process could not be started, or the handshake failed.
        case startFailed = "upstream.start_failed"
        /// The child process exited (or the pipe closed) while a request was open.
        case died = "upstream.died"
        /// No answer within the time limit.
        case timeout = "upstream.timeout"
        /// The upstream broke JSON-RPC or MCP (unparseable frames, a result of the wrong shape).
        case protocolViolation = "upstream.protocol"
        /// The upstream offered no MCP revision Purse speaks.
        case protocolVersion = "upstream.protocol_version"
        /// The Streamable HTTP server answered with an HTTP error status.
        case httpStatus = "upstream.http_status"
        /// The Streamable HTTP session is gone (404 with a session id): reconnect and send again.
        case sessionExpired = "upstream.session_expired"
        /// The HTTP transfer failed (the `http.*` code is in the message).
        case transport = "upstream.transport"
        /// The call was cancelled by its caller.
        case cancelled = "upstream.cancelled"
        /// No such upstream or tool is listed.
        case unknownTool = "upstream.unknown_tool"
        /// The upstream's answer is larger than the cap (`http.maxBodyBytes`).
        case resultTooLarge = "upstream.result_too_large"
        /// The URL of an ad-hoc server cannot be used.
        case badURL = "upstream.bad_url"
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// The detail for a human.
    public let detail: String
    /// False only when the upstream cannot have seen the request.
    public let requestMayHaveBeenSent: Bool

    /// Creates an error.
    public init(_ kind: Kind, _ detail: String, requestMayHaveBeenSent: Bool) {
        self.kind = kind
        self.detail = detail
        self.requestMayHaveBeenSent = requestMayHaveBeenSent
    }

    public var code: String { kind.rawValue }
    public var message: String { detail }
}
