import MCPUpstream
import PurseCore

/// Fires once when a connection ends (a child exited, an HTTP server stopped answering), and
/// lets the link's loop wait for that.
final class DeathWatch: Sendable {
    private let state = Locked<(reason: String?, waiter: CheckedContinuation<Void, Never>?)>((nil, nil))

    /// Why the connection ended, once it did.
    var reason: String? { state.withLock { $0.reason } }

    /// Marks the connection ended (the first reason wins).
    func fire(_ reason: String) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard s.reason == nil else { return nil }
            s.reason = reason
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    /// Returns once `fire` was called (at once if it already was).
    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let fired = state.withLock { s -> Bool in
                if s.reason != nil { return true }
                s.waiter = c
                return false
            }
            if fired { c.resume() }
        }
    }
}
