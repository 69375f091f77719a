// Purse HTTP module: the explicit proxy decision.

/// Whether requests go through a proxy. Proxy environment variables are never consulted.
public enum ProxyChoice: Sendable, Equatable {
    /// Connect straight to the origin, even when `http_proxy`, `https_proxy` or `ALL_PROXY` is set.
    case direct
    /// Use this proxy URL (such as `http://127.0.0.1:3128` or `socks5h://host:1080`) for every host.
    case url(String)
}
