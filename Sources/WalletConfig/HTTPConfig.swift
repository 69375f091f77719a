/// Network settings for the requests Purse makes to sellers.
public struct HTTPConfig: Sendable, Equatable {
    /// The largest response body kept, in bytes (default 5 MiB).
    public var maxBodyBytes: Int = 5 << 20
    /// Connection timeout in milliseconds.
    public var connectTimeoutMs: Int = 5_000
    /// Whole-request timeout in milliseconds.
    public var timeoutMs: Int = 30_000
    /// `nil` to connect directly (environment proxies are ignored), or a proxy URL.
    public var proxy: String?
    /// A PEM file of CA certificates to verify HTTPS servers with instead of the default bundle
    /// (libcurl `CAINFO`); nil for the system's.
    public var caFile: String?

    /// Creates the defaults.
    public init() {}
}
