import PostgresClient

/// An empty PostgreSQL schema of its own, dropped (with everything in it) when this goes: a
/// ledger test, the ledger fixture or the bench gets a database nobody else writes, so runs in
/// parallel never see each other's rows, and nothing is left behind in the cluster.
public final class ScratchSchema: @unchecked Sendable {
    /// A connection to the cluster itself, outside the schema (for raw SQL and the final drop).
    public let admin: PostgresConnection
    /// The schema's name (`t_` and random base-36 digits).
    public let name: String
    /// `base` with the schema as the search path: what a ledger opens.
    public let url: String

    /// Creates the schema in the cluster at `base` (a `postgresql://` URL).
    public init(base: String, prefix: String = "t_") throws {
        admin = try PostgresConnection.open(url: base, password: nil)
        name = prefix + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try admin.execute("CREATE SCHEMA \(name)")
        url = base + (base.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(name)"
    }

    /// Runs `sql` with the schema as the search path.
    @discardableResult
    public func execute(_ sql: String) throws -> PostgresRows {
        try admin.execute("SET search_path TO \(name); " + sql + "; RESET search_path")
    }

    deinit {
        _ = try? admin.execute("DROP SCHEMA IF EXISTS \(name) CASCADE")
        admin.close()
    }
}
