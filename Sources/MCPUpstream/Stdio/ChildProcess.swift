// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.
import Foundation
import PurseCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process with its stdin, stdout and stderr on pipes, started with `posix_spawn` (no
/// `fork` in a threaded process, no shell, no PATH search).
///
/// The child runs in its own process group, so ending it also ends whatever it started (an
/// `npx` wrapper and its `node`, say). It gets exactly the environment given, SIGPIPE at its
/// default, an empty signal mask, and no descriptor of Purse's but its three pipes (the pipes
/// are close-on-exec, and every other descriptor is closed in the child where the C library
/// can do so).
final class ChildProcess: @unchecked Sendable {
    /// The child's pid (and process group id).
    let pid: pid_t
    /// The write end of the child's stdin.
    let stdinFD: Int32
    /// The read end of the child's stdout.
    let stdoutFD: Int32
    /// The read end of the child's stderr.
    let stderrFD: Int32

    private let state = Locked<(reaped: Bool, status: Int32?, stdinClosed: Bool)>((false, nil, false))  // status -1: reaped elsewhere

    private init(pid: pid_t, stdin: Int32, stdout: Int32, stderr: Int32) {
        self.pid = pid
        self.stdinFD = stdin
        self.stdoutFD = stdout
        self.stderrFD = stderr
    }

    /// Starts `command` (an absolute path) with `args` and exactly `environment`.
    /// - Throws: `UpstreamError.startFailed` with the system's reason.
    static func spawn(command: String, args: [String], environment: [String: String]) throws(UpstreamError) -> ChildProcess {
        var fds: [[Int32]] = []
        for _ in 0..<3 {
            var p: [Int32] = [-1, -1]
            guard Self.closeOnExecPipe(&p) == 0 else {
                let e = errno
                fds.flatMap { $0 }.forEach { _ = close($0) }
                throw UpstreamError(.startFailed, "could not make a pipe: \(String(cString: strerror(e)))", requestMayHaveBeenSent: false)
            }
            fds.append(p)
        }
        let (inRead, inWrite) = (fds[0][0], fds[0][1])
        let (outRead, outWrite) = (fds[1][0], fds[1][1])
        let (errRead, errWrite) = (fds[2][0], fds[2][1])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inRead, 0)
        posix_spawn_file_actions_adddup2(&actions, outWrite, 1)
        posix_spawn_file_actions_adddup2(&actions, errWrite, 2)
        Self.closeFrom3(&actions)

        var attrs = posix_spawnattr_t()
        posix_spawnattr_init(&attrs)
        defer { posix_spawnattr_destroy(&attrs) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attrs, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attrs, &mask)
        posix_spawnattr_setpgroup(&attrs, 0)
        posix_spawnattr_setflags(&attrs, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv = ([command] + args).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, command, &actions, &attrs, argv, envp)
        for fd in [inRead, outWrite, errWrite] { _ = close(fd) }
        guard rc == 0 else {
            for fd in [inWrite, outRead, errRead] { _ = close(fd) }
            throw UpstreamError(.startFailed, "could not start \(command): \(String(cString: strerror(rc)))", requestMayHaveBeenSent: false)
        }
        return ChildProcess(pid: pid, stdin: inWrite, stdout: outRead, stderr: errRead)
    }

    /// `pipe2(O_CLOEXEC)` (looked up at run time: Swift's Glibc module does not export it), else
    /// `pipe` then `FD_CLOEXEC` on both ends.
    private static func closeOnExecPipe(_ p: inout [Int32]) -> Int32 {
        typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
        if let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2") {
            let f = unsafeBitCast(sym, to: Pipe2.self)
            return p.withUnsafeMutableBufferPointer { f($0.baseAddress!, Int32(O_CLOEXEC)) }
        }
        guard pipe(&p) == 0 else { return -1 }
        for fd in p { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return 0
    }

    /// Adds "close every descriptor from 3 up" where glibc has it (2.34+), found at run time so
    /// that an older C library still builds and runs (the pipes are close-on-exec either way).
    private static func closeFrom3(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return }
        let f = unsafeBitCast(sym, to: CloseFrom.self)
        _ = f(&actions, 3)
    }

    /// Closes the child's stdin (it sees EOF: an MCP server exits then); once.
    func closeStdin() {
        let first = state.withLock { s -> Bool in
            defer { s.stdinClosed = true }
            return !s.stdinClosed
        }
        if first { _ = close(stdinFD) }
    }

    /// The exit status if the child has been reaped (or exits now); nil while it runs.
    func exitStatus() -> Int32? {
        state.withLock { s in
            if s.reaped { return s.status }
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || (r < 0 && errno == ECHILD) {
                s.reaped = true
                s.status = r == pid ? status : -1
                return s.status
            }
            return nil
        }
    }

    /// Ends the child: closes its stdin, waits up to `grace` for it to exit, then SIGTERM to its
    /// group, waits up to `grace` again, then SIGKILL; reaps it. Blocking: call it off the
    /// cooperative pool. Safe to call more than once.
    func terminate(grace: Duration) {
        closeStdin()
        if waitExit(grace) { return }
        Self.signal(group: pid, SIGTERM)
        if waitExit(grace) { return }
        Self.signal(group: pid, SIGKILL)
        _ = waitExit(.seconds(10))
    }

    /// Kills the child's group at once (SIGKILL) and reaps it.
    func killNow() {
        closeStdin()
        if exitStatus() == nil {
            Self.signal(group: pid, SIGKILL)
            _ = waitExit(.seconds(10))
        }
    }

    private static func signal(group: pid_t, _ sig: Int32) {
        _ = kill(-group, sig)
    }

    private func waitExit(_ limit: Duration) -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if exitStatus() != nil { return true }
            usleep(5_000)
        }
        return exitStatus() != nil
    }

    /// A human description of a wait status: "exited with 17", "killed by signal 9".
    static func describe(_ status: Int32) -> String {
        if status < 0 { return "exited" }
        let sig = status & 0x7f
        if sig == 0 { return "exited with \((status >> 8) & 0xff)" }
        return "killed by signal \(sig)"
    }
}

/// `close(2)`, for types that have a `close()` of their own.
func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}
