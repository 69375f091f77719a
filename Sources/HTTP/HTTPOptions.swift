// Purse HTTP module: limits and defaults of a client.

/// Limits and defaults applied to every request a client sends.
public struct HTTPOptions: Sendable {
    /// The longest wait for a connection (TCP and TLS), in milliseconds; at least 1.
    public var connectTimeoutMs: Int
    /// The longest a whole request may take, connect included, in milliseconds; at least 1.
    public var totalTimeoutMs: Int
    /// The most body bytes kept; a longer body is cut there and marked `truncated`.
    public var maxBodyBytes: Int
    /// The most response header bytes accepted (all header lines together) before failing.
    public var maxHeaderBytes: Int
    /// Whether to use a proxy; never taken from the environment.
    public var proxy: ProxyChoice
    /// The `User-Agent` sent when the request has none.
    public var userAgent: String
    /// With `lowSpeedTimeSeconds`, aborts (as a timeout) a transfer slower than this many
    /// bytes per second for that long; 0 turns the check off.
    public var lowSpeedLimitBytesPerSecond: Int
    /// The window, in seconds, for `lowSpeedLimitBytesPerSecond`; 0 turns the check off.
    public var lowSpeedTimeSeconds: Int
    /// How many idle connection handles the client keeps for reuse.
    public var maxIdleHandles: Int
    /// A PEM file of CA certificates that HTTPS servers are verified against instead of the
    /// default bundle (libcurl `CAINFO`); nil for the system's. Verification is never turned off.
    public var caFile: String?

    /// Creates options; every parameter has a conservative default.
    public init(
        connectTimeoutMs: Int = 5_000,
        totalTimeoutMs: Int = 30_000,
        maxBodyBytes: Int = 5 << 20,
        maxHeaderBytes: Int = 64 << 10,
        proxy: ProxyChoice = .direct,
        userAgent: String = "purse/0.1 (x402 agent wallet)",
        lowSpeedLimitBytesPerSecond: Int = 0,
        lowSpeedTimeSeconds: Int = 0,
        maxIdleHandles: Int = 8,
        caFile: String? = nil
    ) {
        self.connectTimeoutMs = connectTimeoutMs
        self.totalTimeoutMs = totalTimeoutMs
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.proxy = proxy
        self.userAgent = userAgent
        self.lowSpeedLimitBytesPerSecond = lowSpeedLimitBytesPerSecond
        self.lowSpeedTimeSeconds = lowSpeedTimeSeconds
        self.maxIdleHandles = maxIdleHandles
        self.caFile = caFile
    }
}
