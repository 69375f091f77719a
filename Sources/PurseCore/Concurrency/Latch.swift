import Synchronization

/// A one-shot signal: `wait()` returns once `fire()` has been called, before or after the wait.
/// What waits on it: the MCP transport's end of input (a pending approval gives up), its
/// writer's stop (closing waits for the queued frames), and tests that hold a call open.
///
/// `wait()` is not cancellable, on purpose: `FrameWriter.close` must not return before the
/// writer stopped. A waiter that may lose interest registers with `onFire` instead and withdraws
/// once it no longer cares, so that nothing stays parked on the latch.
public final class Latch: Sendable {
    private struct State {
        var fired = false
        var nextToken = 0
        var actions: [Int: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Fires the latch and runs every registered action (outside the lock); later calls do nothing.
    public func fire() {
        let actions = state.withLock { s -> [@Sendable () -> Void] in
            guard !s.fired else { return [] }
            s.fired = true
            defer { s.actions = [:] }
            return s.actions.sorted { $0.key < $1.key }.map(\.value)
        }
        for action in actions { action() }
    }

    /// Whether `fire()` has been called.
    public var hasFired: Bool { state.withLock { $0.fired } }

    /// Runs `action` when the latch fires, at once if it already has. Returns the token that
    /// withdraws it (`withdraw`), or nil when it already ran.
    @discardableResult
    public func onFire(_ action: @escaping @Sendable () -> Void) -> Int? {
        let token: Int? = state.withLock { s in
            guard !s.fired else { return nil }
            defer { s.nextToken += 1 }
            s.actions[s.nextToken] = action
            return s.nextToken
        }
        if token == nil { action() }
        return token
    }

    /// Withdraws an action registered with `onFire` that has not run; it never will.
    public func withdraw(_ token: Int) {
        _ = state.withLock { $0.actions.removeValue(forKey: token) }
    }

    /// Waits until the latch fires (not cancellable: see above).
    public func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            onFire { c.resume() }
        }
    }
}
