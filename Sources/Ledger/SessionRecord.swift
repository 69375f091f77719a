import Foundation

/// One stored session: a run of `purse serve`, one `purse fetch`, and so on.
public struct SessionRecord: Sendable, Codable, Equatable {
    /// The short random id, `s_` and 12 base32 characters.
    public var id: String
    /// When the session started (millisecond precision).
    public var startedAt: Date
    /// What started it: `serve`, `fetch`, ...
    public var kind: String
    /// An optional human label.
    public var label: String?
    /// The MCP client's name, once known.
    public var clientName: String?
    /// The process id that started it.
    public var pid: Int32

    /// Creates a record.
    public init(id: String, startedAt: Date, kind: String, label: String?, clientName: String?, pid: Int32) {
        self.id = id
        self.startedAt = startedAt
        self.kind = kind
        self.label = label
        self.clientName = clientName
        self.pid = pid
    }
}
