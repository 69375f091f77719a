import Foundation

/// Debug builds only: `PURSE_FAULT_KILL_AT=reserved|signed|sent|answered` SIGKILLs the process at
/// that step of a payment, so the fault tests can check that reconcile recovers from a crash
/// anywhere. Release builds have no such hook.
enum FaultInjection {
    #if DEBUG
    static let step = ProcessInfo.processInfo.environment["PURSE_FAULT_KILL_AT"]
    static func point(_ name: String) {
        if step == name { kill(getpid(), SIGKILL) }
    }
    #else
    @inline(__always) static func point(_ name: String) {}
    #endif
}
