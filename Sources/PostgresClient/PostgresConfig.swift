/// Where and how to connect, parsed from a `postgresql://` (or `postgres://`) URL.
///
/// Accepted form (libpq's URI syntax, one host):
///
///     postgresql://[user@][host][:port][/dbname][?param=value&...]
///
/// - `host` is a name, an IPv4 address, a bracketed IPv6 address, or a percent-encoded absolute
///   unix socket directory (`%2Ftmp%2Fpg`); the `host=/path` parameter overrides it, so
///   `postgresql://user@/db?host=/run/postgresql` connects over a unix socket.
/// - Parameters: `host`, `port`, `user`, `dbname`, `sslmode` (`disable`, `allow`, `prefer`,
///   `require`, `verify-ca`, `verify-full`), `sslrootcert`, `sslcert`, `sslkey`, `sslcrl`,
///   `connect_timeout` (whole seconds, default 10), `options` (for example
///   `options=-c%20statement_timeout%3D5000`), `application_name` (default `purse`).
///   Any other parameter is refused, so that a typo is not silently ignored.
/// - Values are percent-decoded (`%XX` only; `+` stays a plus, as in libpq).
/// - A password is refused in the URL (`user:password@`) and as a parameter: it is passed
///   separately to `PostgresConnection.open(_:password:)` (read from an environment variable
///   whose name the configuration gives), so that the URL can be logged and stored safely.
///
/// Fields left out fall back to libpq's own defaults and environment variables (PGHOST, PGPORT,
/// PGUSER, PGSSLMODE, ...); with no host at all, libpq uses its default unix socket.
public struct PostgresConfig: Sendable, Equatable, CustomStringConvertible {
    /// TLS policy, as libpq's `sslmode`.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// Host name or address, or an absolute unix socket directory; nil for libpq's default.
    public var host: String?
    /// TCP port (also the number in the unix socket's name); nil for libpq's default (5432).
    public var port: Int?
    /// Role name; nil for libpq's default (PGUSER, else the OS user name).
    public var user: String?
    /// Database name; nil for libpq's default (the role name).
    public var database: String?
    /// TLS policy; nil for libpq's default (`prefer`, or PGSSLMODE).
    public var sslMode: SSLMode?
    /// CA certificate file(s) to verify the server with (`verify-ca`, `verify-full`).
    public var sslRootCert: String?
    /// Client certificate and key files, for certificate authentication.
    public var sslCert: String?
    public var sslKey: String?
    /// Certificate revocation list file.
    public var sslCRL: String?
    /// Seconds to wait for the whole connection set-up (TCP, TLS, authentication).
    public var connectTimeoutSeconds: Int = 10
    /// Server options sent at start-up, such as `-c statement_timeout=5000`.
    public var options: String?
    /// Shown in `pg_stat_activity`.
    public var applicationName: String = "purse"

    /// True when `host` is a unix socket directory.
    public var isUnixSocket: Bool { host?.hasPrefix("/") ?? false }

    /// Parses a URL; throws `pg.bad_url` (whose message never repeats a password) when invalid.
    public init(url: String) throws(PostgresError) {
        var rest = Substring(url)
        let lower = url.lowercased()
        if lower.hasPrefix("postgresql://") {
            rest = rest.dropFirst("postgresql://".count)
        } else if lower.hasPrefix("postgres://") {
            rest = rest.dropFirst("postgres://".count)
        } else {
            throw Self.bad("the URL must start with postgresql:// or postgres://")
        }
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var path: Substring?
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        // rest is now [userinfo@]hostport.
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            if userinfo.contains(":") {
                throw Self.bad("the URL contains a password; remove it and pass the password through its environment variable")
            }
            user = try Self.decode(userinfo, what: "user name")
            rest = rest[rest.index(after: at)...]
        }
        try parseHostPort(rest)
        if let path {
            if path.contains("/") { throw Self.bad("the database name must not contain '/'") }
            let name = try Self.decode(path, what: "database name")
            database = name.isEmpty ? nil : name
        }
        if !query.isEmpty {
            for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
                guard let eq = pair.firstIndex(of: "=") else {
                    throw Self.bad("URL parameter '\(Self.printable(pair))' has no value")
                }
                let key = String(pair[..<eq])
                let value = try Self.decode(pair[pair.index(after: eq)...], what: "value of \(Self.printable(key))")
                try apply(key: key, value: value)
            }
        }
        if user?.isEmpty == true { user = nil }
        if host?.isEmpty == true { host = nil }
    }

    /// The URL without anything secret (there never is a password in it), for logs and errors.
    public var description: String {
        var s = "postgresql://"
        if let user { s += Self.encode(user) + "@" }
        if let host {
            if isUnixSocket { s += Self.encode(host) } else if host.contains(":") { s += "[\(host)]" } else { s += host }
        }
        if let port { s += ":\(port)" }
        s += "/" + (database.map(Self.encode) ?? "")
        var params: [String] = []
        if let sslMode { params.append("sslmode=\(sslMode.rawValue)") }
        if let sslRootCert { params.append("sslrootcert=\(Self.encode(sslRootCert))") }
        if let sslCert { params.append("sslcert=\(Self.encode(sslCert))") }
        if let sslKey { params.append("sslkey=\(Self.encode(sslKey))") }
        if let sslCRL { params.append("sslcrl=\(Self.encode(sslCRL))") }
        if connectTimeoutSeconds != 10 { params.append("connect_timeout=\(connectTimeoutSeconds)") }
        if let options { params.append("options=\(Self.encode(options))") }
        if applicationName != "purse" { params.append("application_name=\(Self.encode(applicationName))") }
        if !params.isEmpty { s += "?" + params.joined(separator: "&") }
        return s
    }

    /// libpq keyword/value pairs for `PQconnectStartParams` (never a conninfo string, so nothing
    /// is re-parsed and the password cannot leak through a parse error).
    func libpqParameters(password: String?) -> [(String, String)] {
        var p: [(String, String)] = []
        if let host { p.append(("host", host)) }
        if let port { p.append(("port", String(port))) }
        if let user { p.append(("user", user)) }
        if let database { p.append(("dbname", database)) }
        if let password { p.append(("password", password)) }
        if let sslMode { p.append(("sslmode", sslMode.rawValue)) }
        if let sslRootCert { p.append(("sslrootcert", sslRootCert)) }
        if let sslCert { p.append(("sslcert", sslCert)) }
        if let sslKey { p.append(("sslkey", sslKey)) }
        if let sslCRL { p.append(("sslcrl", sslCRL)) }
        if let options { p.append(("options", options)) }
        p.append(("application_name", applicationName))
        p.append(("client_encoding", "UTF8"))
        // A dead server or network must not hang a call forever: TCP keepalives notice a silent
        // peer after about 30 + 3 × 10 s, and unacknowledged writes fail after 60 s.
        p.append(("keepalives", "1"))
        p.append(("keepalives_idle", "30"))
        p.append(("keepalives_interval", "10"))
        p.append(("keepalives_count", "3"))
        p.append(("tcp_user_timeout", "60000"))
        return p
    }

    // MARK: - Parsing helpers

    private mutating func parseHostPort(_ hp: Substring) throws(PostgresError) {
        guard !hp.isEmpty else { return }
        if hp.contains(",") { throw Self.bad("several hosts are not supported; give one host") }
        var portPart: Substring?
        if hp.hasPrefix("[") {
            guard let close = hp.firstIndex(of: "]") else { throw Self.bad("unterminated '[' in the host") }
            host = String(hp[hp.index(after: hp.startIndex)..<close])
            let after = hp[hp.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw Self.bad("unexpected text after the IPv6 address") }
                portPart = after.dropFirst()
            }
        } else if let colon = hp.firstIndex(of: ":") {
            host = try Self.decode(hp[..<colon], what: "host")
            portPart = hp[hp.index(after: colon)...]
        } else {
            host = try Self.decode(hp, what: "host")
        }
        if let portPart, !portPart.isEmpty { port = try Self.port(String(portPart)) }
    }

    private mutating func apply(key: String, value: String) throws(PostgresError) {
        switch key {
        case "host":
            if value.contains(",") { throw Self.bad("several hosts are not supported; give one host") }
            host = value
        case "port": port = try Self.port(value)
        case "user": user = value
        case "dbname": database = value
        case "sslmode":
            guard let mode = SSLMode(rawValue: value) else {
                throw Self.bad("sslmode '\(Self.printable(value))' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            sslMode = mode
        case "sslrootcert": sslRootCert = value
        case "sslcert": sslCert = value
        case "sslkey": sslKey = value
        case "sslcrl": sslCRL = value
        case "connect_timeout":
            guard let s = Int(value), s >= 1, s <= 3600 else {
                throw Self.bad("connect_timeout must be a whole number of seconds from 1 to 3600")
            }
            connectTimeoutSeconds = s
        case "options": options = value
        case "application_name": applicationName = value
        case "password", "passfile":
            throw Self.bad("the URL must not carry a password (\(key)=); pass it through its environment variable")
        default:
            throw Self.bad("unknown URL parameter '\(Self.printable(key))' (known: host, port, user, dbname, sslmode, sslrootcert, sslcert, sslkey, sslcrl, connect_timeout, options, application_name)")
        }
    }

    private static func port(_ s: String) throws(PostgresError) -> Int {
        guard let p = Int(s), (1...65535).contains(p), s.allSatisfy(\.isASCII) else {
            throw bad("the port must be a number from 1 to 65535")
        }
        return p
    }

    private static func bad(_ message: String) -> PostgresError {
        PostgresError(.badURL, "invalid PostgreSQL URL: " + message)
    }

    /// A key or value for an error message: short, printable, never more than 40 characters.
    private static func printable<S: StringProtocol>(_ s: S) -> String {
        let clean = s.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined()
        return clean.count > 40 ? String(clean.prefix(40)) + "…" : clean
    }

    /// Percent-decodes `%XX` sequences (UTF-8); a malformed escape or a NUL byte is an error.
    static func decode(_ s: Substring, what: String) throws(PostgresError) -> String {
        guard s.contains("%") else {
            if s.utf8.contains(0) { throw bad("the \(what) contains a NUL byte") }
            return String(s)
        }
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let h = hex(it.popFirst()!), let l = hex(it.popFirst()!) else {
                    throw bad("bad percent-escape in the \(what)")
                }
                bytes.append(h << 4 | l)
            } else {
                bytes.append(b)
            }
        }
        if bytes.contains(0) { throw bad("the \(what) contains a NUL byte") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw bad("the \(what) is not valid UTF-8") }
        return text
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986).
    static func encode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
