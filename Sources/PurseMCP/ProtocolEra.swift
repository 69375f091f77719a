// PurseMCP: the MCP face of the Purse wallet.

/// Which revision family this connection speaks, decided once by the client's first request,
/// and where each incoming message goes: to the SDK's `Server` (the handshake revisions) or to
/// our stateless layer (2026-07-28).
///
/// A pure state machine with `Equatable` routes, so each rule is one `#expect`. The rules are the
/// reference server's (`serve_dual_era_loop` in the Python SDK's `mcp/server/runner.py`):
/// - the first request decides: `initialize` (even stamped with the envelope) or any request
///   without the envelope opens the handshake era; any other request carrying the envelope opens
///   the stateless era;
/// - later, a request from the other era is refused: an enveloped request on a handshake
///   connection with -32600, an `initialize` on a stateless connection with -32022 naming the
///   served versions;
/// - notifications follow the era (the stateless layer owns `notifications/cancelled` for its
///   requests); responses (to the SDK's own `elicitation/create`) always go to the SDK.
struct ProtocolEra: Equatable, Sendable {
    /// The era of the connection.
    enum Era: Equatable, Sendable {
        /// No request yet.
        case undecided
        /// `initialize` first: the SDK serves 2024-11-05 … 2025-11-25.
        case handshake
        /// An enveloped request first: our layer serves 2026-07-28.
        case stateless
    }

    /// What an incoming frame is, as far as routing cares.
    enum Message: Equatable, Sendable {
        /// A request; `enveloped` when its `params._meta` carries the protocol version;
        /// `initializeVersion` is `params.protocolVersion` of an `initialize`.
        case request(method: String, enveloped: Bool, initializeVersion: String?)
        /// A notification.
        case notification(method: String)
        /// A response to one of our requests.
        case response
        /// A JSON-RPC batch (handshake revisions only).
        case batch
    }

    /// Where a frame goes.
    enum Route: Equatable, Sendable {
        /// To the SDK's `Server`.
        case sdk
        /// To our stateless layer.
        case stateless
        /// Answered with this error at once (requests only).
        case reject(RPCError)
    }

    /// The era so far.
    private(set) var era: Era = .undecided

    /// Routes one message, deciding the era on the first request.
    mutating func route(_ message: Message) -> Route {
        switch message {
        case .response:
            return .sdk
        case .batch:
            if era == .stateless { return .reject(.invalidRequest("JSON-RPC batches are not part of MCP \(RequestEnvelope.revision)")) }
            if era == .undecided { era = .handshake }
            return .sdk
        case .notification:
            return era == .stateless ? .stateless : .sdk
        case let .request(method, enveloped, initializeVersion):
            switch era {
            case .undecided:
                if method != "initialize", enveloped {
                    era = .stateless
                    return .stateless
                }
                era = .handshake
                return .sdk
            case .handshake:
                if method != "initialize", enveloped {
                    return .reject(.invalidRequest(
                        "this connection serves the handshake revisions (\(RequestEnvelope.handshakeVersions.joined(separator: ", "))); requests carrying the \(RequestEnvelope.revision) envelope are not accepted on it"))
                }
                return .sdk
            case .stateless:
                if method == "initialize" {
                    return .reject(.unsupportedVersion(
                        requested: initializeVersion ?? "", supported: RequestEnvelope.supportedVersions,
                        message: "this connection serves MCP \(RequestEnvelope.revision); the initialize handshake is not accepted"))
                }
                return .stateless
            }
        }
    }
}
