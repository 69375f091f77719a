/// What `purse doctor` reports about a ledger: which backend, how far its schema is migrated,
/// whether its own integrity check passes, and whether a write transaction can be taken.
///
/// Backend-neutral: SQLite answers with its migration ids and `PRAGMA integrity_check`; another
/// backend answers with its own schema version and consistency check.
public struct LedgerHealth: Sendable, Equatable {
    /// The backend's name, such as `sqlite`.
    public var backend: String
    /// The newest schema version applied to this ledger, such as `v3`.
    public var schemaVersion: String
    /// The newest schema version this build knows; equal to `schemaVersion` once migrated.
    public var latestSchemaVersion: String
    /// Whether the integrity check found nothing wrong.
    public var integrityOK: Bool
    /// The integrity check's answer (`ok`, or its first findings).
    public var integrity: String
    /// Whether a write transaction could be started and committed.
    public var writable: Bool

    /// Creates a report.
    public init(backend: String, schemaVersion: String, latestSchemaVersion: String, integrityOK: Bool, integrity: String, writable: Bool) {
        self.backend = backend
        self.schemaVersion = schemaVersion
        self.latestSchemaVersion = latestSchemaVersion
        self.integrityOK = integrityOK
        self.integrity = integrity
        self.writable = writable
    }
}
