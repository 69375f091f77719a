import Foundation
import PurseCore

/// Which payments `PaymentLedger.payments(_:)` returns; every set field must match.
public struct PaymentFilter: Sendable, Equatable {
    /// Only rows created at or after this instant.
    public var since: Date?
    /// Only rows of this session.
    public var sessionID: String?
    /// Only rows paid to this host.
    public var host: HostName?
    /// Only rows in this status.
    public var status: PaymentStatus?
    /// At most this many rows (the newest).
    public var limit: Int?

    /// Creates a filter; the default matches every row.
    public init(since: Date? = nil, sessionID: String? = nil, host: HostName? = nil, status: PaymentStatus? = nil,
                limit: Int? = nil) {
        self.since = since
        self.sessionID = sessionID
        self.host = host
        self.status = status
        self.limit = limit
    }
}
