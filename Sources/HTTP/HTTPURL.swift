// Purse HTTP module: the one URL parser.

import CCurl
import PurseCore

/// An absolute `http`/`https` URL parsed by libcurl's own URL parser: the scheme, host and port
/// that libcurl will actually connect to.
///
/// Policy decisions (host lists, per-host budgets, the origin a payment header may go to) use
/// this value, so a URL crafted to look like one host to a hand-written parser and another to
/// libcurl (`http://a.com\@b.com`, odd ports, user info) cannot slip past the policy.
public struct HTTPURL: Sendable, Equatable {
    /// The URL text as given.
    public let text: String
    /// `http` or `https`, lower-case.
    public let scheme: String
    /// The host as libcurl parsed it, normalized.
    public let host: HostName
    /// The port, explicit or the scheme's default.
    public let port: Int
    /// The path as libcurl parsed it (`/` when the URL has none), without query or fragment.
    public var path: String = "/"

    /// A key naming the connection this URL needs (`https://api.example.com:443`).
    public var origin: String { "\(scheme)://\(host):\(port)" }

    /// Parses an absolute URL, refusing anything but `http` and `https`.
    ///
    /// - Throws: `.unsupportedScheme` for another scheme (`file:`, `ftp:`…), `.invalidURL` for a
    ///   relative or unparsable URL, a URL without a host, or one with control characters.
    public static func parse(_ url: String) throws(HTTPError) -> HTTPURL {
        let bytes = Array(url.utf8)
        if bytes.contains(where: { $0 < 0x21 || $0 == 0x7f }) {
            throw HTTPError(.invalidURL, "the URL contains spaces or control characters", requestMayHaveBeenSent: false)
        }
        // RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
        guard let colon = bytes.firstIndex(of: 0x3a), colon > 0, Self.isAlpha(bytes[0]),
              bytes[1..<colon].allSatisfy({ Self.isAlpha($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2b || $0 == 0x2d || $0 == 0x2e })
        else {
            throw HTTPError(.invalidURL, "not an absolute URL", requestMayHaveBeenSent: false)
        }
        let scheme = String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw HTTPError(.unsupportedScheme, "scheme '\(scheme)' is not allowed", requestMayHaveBeenSent: false)
        }
        if let why = CurlGlobal.failure { throw HTTPError(.transport, why, requestMayHaveBeenSent: false) }
        guard let u = curl_url() else {
            throw HTTPError(.transport, "libcurl could not allocate a URL handle", requestMayHaveBeenSent: false)
        }
        defer { curl_url_cleanup(u) }
        let rc = curl_url_set(u, CURLUPART_URL, url, 0)
        guard rc == CURLUE_OK else {
            let why = curl_url_strerror(rc).map { String(cString: $0) } ?? "parse error"
            throw HTTPError(.invalidURL, why, requestMayHaveBeenSent: false)
        }
        guard let host = Self.part(u, CURLUPART_HOST, 0), !host.isEmpty else {
            throw HTTPError(.invalidURL, "the URL has no host", requestMayHaveBeenSent: false)
        }
        guard let portText = Self.part(u, CURLUPART_PORT, UInt32(CURLU_DEFAULT_PORT)), let port = Int(portText) else {
            throw HTTPError(.invalidURL, "the URL has no usable port", requestMayHaveBeenSent: false)
        }
        let path = Self.part(u, CURLUPART_PATH, 0).flatMap { $0.isEmpty ? nil : $0 } ?? "/"
        return HTTPURL(text: url, scheme: scheme, host: HostName(host), port: port, path: path)
    }

    private static func isAlpha(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) }

    private static func part(_ u: OpaquePointer, _ what: CURLUPart, _ flags: UInt32) -> String? {
        var out: UnsafeMutablePointer<CChar>?
        guard curl_url_get(u, what, &out, flags) == CURLUE_OK, let out else { return nil }
        defer { curl_free(out) }
        return String(cString: out)
    }
}
