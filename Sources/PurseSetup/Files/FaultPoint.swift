import Foundation

/// Debug builds only: `PURSE_FAULT_KILL_AT=atomic-write-N` SIGKILLs the process once the Nth
/// atomic file write of the run has its temporary file complete but not yet renamed, and
/// `after-write-N` right after the Nth rename. The first-run tests use it to prove that `init`
/// killed at any step leaves every file complete or absent, and that a re-run finishes the job.
/// Release builds have no such hook (the same convention as the payment fault points).
enum FaultPoint {
    #if DEBUG
    private static let target = ProcessInfo.processInfo.environment["PURSE_FAULT_KILL_AT"]
    nonisolated(unsafe) private static var counts: [String: Int] = [:]
    private static let lock = NSLock()

    /// Counts one more `name` and dies if this is the one the environment asked for.
    static func reached(_ name: String) {
        guard let target, target.hasPrefix(name + "-") else { return }
        let n = lock.withLock { () -> Int in
            counts[name, default: 0] += 1
            return counts[name]!
        }
        if target == "\(name)-\(n)" { kill(getpid(), SIGKILL) }
    }
    #else
    @inline(__always) static func reached(_ name: String) {}
    #endif
}
