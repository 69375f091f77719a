import WalletConfig

/// The time and size limits of Purse's MCP client, from the human's `http.*` settings so that an
/// upstream gets no more than a seller does.
public struct UpstreamLimits: Sendable, Equatable {
    /// How long a start may take: spawn (or connect), `initialize` and the first `tools/list`.
    public var startTimeout: Duration = .seconds(30)
    /// How long one `tools/call` may take (`http.timeoutMs`).
    public var callTimeout: Duration
    /// The largest answer read from an upstream (`http.maxBodyBytes`).
    public var maxMessageBytes: Int
    /// The first wait before a restart; it doubles per failed attempt.
    public var backoffBase: Duration = .seconds(1)
    /// The longest wait before a restart.
    public var backoffCeiling: Duration = .seconds(60)
    /// A connection up this long resets the backoff.
    public var healthyAfter: Duration = .seconds(30)

    /// The limits for a config.
    public init(config: PurseConfig) {
        callTimeout = .milliseconds(config.http.timeoutMs)
        maxMessageBytes = config.http.maxBodyBytes
    }

    /// The wait before restart attempt `attempt` (1, 2, …): base × 2^(attempt−1), at most the ceiling.
    public func backoff(attempt: Int) -> Duration {
        let factor = 1 << min(max(attempt - 1, 0), 16)
        let d = backoffBase * factor
        return d < backoffCeiling ? d : backoffCeiling
    }
}
