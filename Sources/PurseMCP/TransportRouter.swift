// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import PurseCore

/// `LineTransport`'s one routing hook (`route(with:)`): written once before the reader thread
/// starts, read for every incoming message; a lock keeps the two threads' views consistent.
final class TransportRouter: @unchecked Sendable {
    private let lock = NSLock()
    private var _divert: (@Sendable (JSONValue) -> Bool)?

    /// Offered every valid incoming message before the SDK; true means "taken".
    var divert: (@Sendable (JSONValue) -> Bool)? {
        get { lock.withLock { _divert } }
        set { lock.withLock { _divert = newValue } }
    }
}
