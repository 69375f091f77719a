import BlockingWork
import Dispatch
import PurseCLI

/// The `purse` executable: parses the command line and hands over to `PurseCLI`.
@main
struct PurseMain {
    /// Runs the command on a task and blocks the main thread until it is done.
    ///
    /// Why not an `async` main: Swift runs an async main by handing the main thread to
    /// `dispatch_main()`, which ends it with `pthread_exit`, and glibc ends a thread by unwinding
    /// its stack: the unwinder's binary searches of the binary's unwind table (`.eh_frame_hdr`,
    /// 0.85 MiB) kept about 0.6 MiB of it resident in every idle `purse serve`. Nothing in Purse
    /// runs on the main actor or the main queue, which this thread no longer serves; the task is
    /// detached so that it does not inherit the main actor either. It prefers `BlockingWorkers`,
    /// so that a command's ledger calls and HTTP transfers run inline on its thread.
    static func main() {
        let done = DispatchSemaphore(value: 0)
        Task.detached(executorPreference: BlockingWorkers.shared) {
            await PurseCommand.main()
            done.signal()
        }
        done.wait()
    }
}
