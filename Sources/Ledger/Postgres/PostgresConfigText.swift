import PostgresClient

/// A PostgreSQL URL's printable form (`PostgresConfig.description`), for messages.
enum PostgresConfigText {
    /// The URL re-written without anything secret, or an error when it does not parse.
    static func redacted(_ url: String) throws(PostgresError) -> String { try PostgresConfig(url: url).description }
}
