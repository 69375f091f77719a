/// A web origin: scheme, host and port, compared the way browsers compare origins (scheme and
/// host case-insensitively, a default port equal to its absence).
///
/// Sign-in challenges name the origin they are for twice (`domain` as `host[:port]`, `uri` as a
/// URL); both must be the origin of the request that asked, which the HTTP channel derives from
/// libcurl's own parse of the URL.
public struct WebOrigin: Sendable, Hashable {
    /// `http` or `https`, lower-case.
    public let scheme: String
    /// The host, lower-case; IPv6 addresses in brackets.
    public let host: String
    /// The port (the scheme's default when absent).
    public let port: Int

    /// Creates an origin.
    public init(scheme: String, host: String, port: Int) {
        self.scheme = scheme.lowercased()
        self.host = host.lowercased()
        self.port = port
    }

    /// The scheme's default port (80 for http, 443 for https), or nil for another scheme.
    public static func defaultPort(_ scheme: String) -> Int? {
        switch scheme.lowercased() {
        case "http": 80
        case "https": 443
        default: nil
        }
    }

    /// `host` or `host:port` (the port only when it is not the default): EIP-4361's `domain`.
    public var authority: String {
        port == Self.defaultPort(scheme) ? host : "\(host):\(port)"
    }

    /// `scheme://authority`, as browsers serialize an origin.
    public var serialized: String { "\(scheme)://\(authority)" }

    /// Parses `host[:port]` under `scheme`; nil for user info, an empty host, a bad port, or
    /// anything after the authority.
    public static func parseAuthority(_ text: String, scheme: String) -> WebOrigin? {
        guard let defaultPort = defaultPort(scheme), !text.isEmpty,
              !text.contains(where: { $0 == "@" || $0 == "/" || $0 == "?" || $0 == "#" || $0 == "\\" || $0 == " " })
        else { return nil }
        var host = Substring(text)
        var port = defaultPort
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let rest = host[host.index(after: close)...]
            host = host[...close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let p = Int(rest.dropFirst()), (1...65_535).contains(p) else { return nil }
                port = p
            }
        } else if let colon = host.lastIndex(of: ":") {
            guard let p = Int(host[host.index(after: colon)...]), (1...65_535).contains(p) else { return nil }
            port = p
            host = host[..<colon]
        }
        guard !host.isEmpty else { return nil }
        var h = host.lowercased()
        if h.hasSuffix(".") { h.removeLast() }
        return WebOrigin(scheme: scheme, host: h, port: port)
    }

    /// The origin of an absolute `http`/`https` URL; nil for anything else.
    public static func parse(_ url: String) -> WebOrigin? {
        let chars = Array(url.utf8)
        guard let colon = chars.firstIndex(of: 0x3a), colon + 2 < chars.count, chars[colon + 1] == 0x2f, chars[colon + 2] == 0x2f else {
            return nil
        }
        let scheme = String(decoding: chars[..<colon], as: UTF8.self).lowercased()
        guard defaultPort(scheme) != nil else { return nil }
        let rest = chars[(colon + 3)...]
        let end = rest.firstIndex { c in c == 0x2f || c == 0x3f || c == 0x23 } ?? rest.endIndex
        return parseAuthority(String(decoding: rest[..<end], as: UTF8.self), scheme: scheme)
    }
}
