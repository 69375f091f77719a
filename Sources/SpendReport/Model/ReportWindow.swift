import Foundation

/// The period and the selection a report covers, as the person asked for them.
public struct ReportWindow: Sendable, Equatable {
    /// Payments created at or after this instant; nil for every payment in the ledger.
    public var since: Date?
    /// When the report was made: the end of the window.
    public var now: Date
    /// The `--since` text as typed (`7d`, `2026-11-01`), for the heading.
    public var sinceText: String?
    /// The session the report is limited to, when it is.
    public var sessionID: String?

    /// Creates a window.
    public init(since: Date?, now: Date, sinceText: String? = nil, sessionID: String? = nil) {
        self.since = since
        self.now = now
        self.sinceText = sinceText
        self.sessionID = sessionID
    }

    /// Whether the window reaches back to `instant`, so a figure starting there is complete.
    func covers(_ instant: Date) -> Bool {
        guard let since else { return true }
        return since <= instant
    }
}
