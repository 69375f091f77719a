import HTTP

extension HTTPOptions {
    /// The client options the human's `http` settings ask for (caps, timeouts, proxy, CA file), used for
    /// sellers and RPC alike.
    public init(config: HTTPConfig) {
        self.init()
        maxBodyBytes = config.maxBodyBytes
        connectTimeoutMs = config.connectTimeoutMs
        totalTimeoutMs = config.timeoutMs
        proxy = config.proxy.map { .url($0) } ?? .direct
        caFile = config.caFile
    }
}
