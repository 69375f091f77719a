import Foundation

/// One stored session: a run of `purse serve`, one `purse fetch`, and so on.
public struct SessionRecord: Sendable, Equatable {
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
    /// The machine (host name) that started it, where the ledger knows it (ledgers before v3 do not).
    public var machine: String?

    /// Creates a record.
    public init(id: String, startedAt: Date, kind: String, label: String?, clientName: String?, pid: Int32, machine: String? = nil) {
        self.id = id
        self.startedAt = startedAt
        self.kind = kind
        self.label = label
        self.clientName = clientName
        self.pid = pid
        self.machine = machine
    }

    /// A new session id: `s_` and 12 random base32 characters.
    public static func newID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var rng = SystemRandomNumberGenerator()
        return "s_" + String((0..<12).map { _ in alphabet[Int(rng.next() % 32)] })
    }
}
