/// One MCP server the human configured under `upstreams`, whose tools Purse lists beside its own
/// (as `NAME__TOOL`) and pays for under the same policy as `paid_fetch`.
///
/// Only the human's file names upstreams: an agent cannot add one (it can only reach an
/// unconfigured server through `paid_tool_call`, under the host policy of that server's URL).
public struct UpstreamConfig: Sendable, Equatable {
    /// The largest number of upstreams one config may name (each may be a child process).
    public static let maxUpstreams = 16
    /// `^[a-z][a-z0-9-]{0,31}$`: no underscore, so the first `__` of a listed name is the separator.
    public static let namePattern = "^[a-z][a-z0-9-]{0,31}$"

    /// How Purse reaches the server.
    public enum Transport: Sendable, Equatable {
        /// A child process speaking JSON-RPC on its stdin/stdout. It gets only `env` plus PATH and
        /// HOME: never Purse's key or configuration variables.
        case stdio(command: String, args: [String], env: [String: String])
        /// Streamable HTTP: JSON-RPC POSTed to `url` with these extra headers, through Purse's
        /// HTTP client (the same `http.*` limits).
        case http(url: String, headers: [(String, String)])

        public static func == (a: Transport, b: Transport) -> Bool {
            switch (a, b) {
            case let (.stdio(c1, a1, e1), .stdio(c2, a2, e2)): c1 == c2 && a1 == a2 && e1 == e2
            case let (.http(u1, h1), .http(u2, h2)): u1 == u2 && h1.elementsEqual(h2, by: { $0 == $1 })
            default: false
            }
        }
    }

    /// The name (`weather`): tools are listed as `weather__get_weather`, and payments are judged
    /// and recorded with host `mcp:weather`.
    public let name: String
    /// How to reach it.
    public let transport: Transport

    /// Creates an upstream; `name` must already match `namePattern` (the loader checks it).
    public init(name: String, transport: Transport) {
        self.name = name
        self.transport = transport
    }

    /// The policy host of this upstream's payments: `mcp:NAME`.
    public var policyHost: String { "mcp:\(name)" }

    /// Whether `name` matches `namePattern`.
    public static func isValidName(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard (1...32).contains(u.count), (0x61...0x7A).contains(u[0]) else { return false }
        return u.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }
}
