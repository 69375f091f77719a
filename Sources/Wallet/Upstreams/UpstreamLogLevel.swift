/// How much an upstream event matters, for the log it goes to (stderr, and the MCP client's log).
public enum UpstreamLogLevel: Sendable, Equatable {
    case debug, info, warning, error
}
