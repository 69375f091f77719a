import MCPUpstream
import WalletConfig

/// One upstream as it stands: what `purse upstreams` and the logs show.
public struct UpstreamSnapshot: Sendable {
    /// The configured name.
    public let name: String
    /// How it is reached.
    public let transport: UpstreamConfig.Transport
    /// Its state.
    public let state: UpstreamLink.State
    /// Its tools (when ready).
    public let tools: [UpstreamTool]
    /// What went wrong last (when down).
    public let lastError: String?
    /// How many restarts were attempted.
    public let restarts: Int
    /// The child's pid (stdio, while running).
    public let pid: Int32?
    /// What the server said at `initialize` (when ready).
    public let server: ServerIdentity?
    /// Whether the first attempt to connect has ended (either way).
    public let firstAttemptDone: Bool

    /// `stdio` or `http`.
    public var transportName: String {
        if case .stdio = transport { return "stdio" }
        return "http"
    }

    /// The command line or the URL.
    public var target: String {
        switch transport {
        case let .stdio(command, args, _): ([command] + args).joined(separator: " ")
        case let .http(url, _): url
        }
    }
}
