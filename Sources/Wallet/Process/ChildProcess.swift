import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs another program the way Purse needs it: no shell, a bounded time, nothing read from
/// Purse's own standard input.
///
/// Used for `key.passwordCommand` (whose output is the password) and for `claude mcp add`.
/// Why it is built this way:
/// - **No shell.** The program gets exactly the argv given, through `posix_spawn`: nothing is
///   interpolated, globbed or split.
/// - **Standard input is `/dev/null`.** Under `purse serve` stdin is the MCP JSON-RPC channel;
///   a child must never read it, and one that wants to prompt there fails at once.
/// - **Captured output stays in memory**: it goes to the caller only, never to a log. Standard
///   error is inherited, so the program's own diagnostics reach the human as it wrote them.
/// - **Only stdin, stdout and stderr are inherited**; every other descriptor (the ledger, the
///   MCP pipes) is closed in the child.
/// - **A bounded wait.** The child runs in its own process group; when the timeout passes the
///   whole group is killed (a wrapper script's children too) and reaped.
public enum ChildProcess {
    /// How the program ended, and what it printed when capture was asked for.
    public struct Outcome: Sendable {
        /// The exit status (0 when killed by a signal).
        public var exitCode: Int32
        /// The signal that killed it, or 0.
        public var signal: Int32
        /// Its standard output (empty unless captured).
        public var output: [UInt8]
    }

    /// Why the program did not run to an exit.
    public enum Failure: Error, Sendable, Equatable {
        /// No such program (on `PATH`, for a bare name).
        case notFound
        /// It could not be started (the reason).
        case cannotStart(String)
        /// It was still running at the deadline and was killed.
        case timedOut
        /// It printed more than the limit and was killed.
        case outputTooLarge(limit: Int)
        /// Reading its output or waiting for it failed (the reason).
        case io(String)
    }

    /// Finds a program: a name with a slash is used as given (if executable), a bare name is
    /// searched on `path` (a `PATH` value; the usual system directories when nil or empty).
    public static func find(_ program: String, path: String?) -> String? {
        if program.contains("/") { return access(program, X_OK) == 0 ? program : nil }
        let list = (path?.isEmpty == false ? path! : "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false)
        for dir in list {
            let candidate = (dir.isEmpty ? "." : String(dir)) + "/" + program
            var st = stat()
            if stat(candidate, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Runs `argv` and waits for it, at most `timeoutSeconds`.
    ///
    /// - Parameters:
    ///   - argv: the program (a path, or a name searched on the environment's `PATH`) and its arguments.
    ///   - environment: the child's whole environment.
    ///   - captureOutput: read its standard output into `Outcome.output` (else it is inherited).
    ///   - outputLimit: the most bytes captured before the child is killed.
    /// - Throws: `Failure`; on `.timedOut` and `.outputTooLarge` the process group is already gone.
    public static func run(_ argv: [String], environment: [String: String], timeoutSeconds: Double,
                           captureOutput: Bool, outputLimit: Int = 64 << 10) throws(Failure) -> Outcome {
        guard let program = argv.first, !program.isEmpty, let executable = find(program, path: environment["PATH"]) else { throw .notFound }
        let deadline = now() + timeoutSeconds
        var fds: [Int32] = [-1, -1]
        if captureOutput {
            guard pipe(&fds) == 0 else { throw .cannotStart("cannot create a pipe: \(String(cString: strerror(errno)))") }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        let pid = try spawn(executable, argv, environment, stdoutFD: captureOutput ? fds[1] : nil)
        if captureOutput { close(fds[1]) }
        let child = Running(pid: pid)
        var output = [UInt8]()
        if captureOutput {
            defer { close(fds[0]) }
            try child.drain(fds[0], into: &output, deadline: deadline, limit: outputLimit)
        }
        let (code, signal) = try child.wait(deadline: deadline)
        return Outcome(exitCode: code, signal: signal, output: output)
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Starts the program in its own process group, stdin from `/dev/null`.
    private static func spawn(_ executable: String, _ argv: [String], _ environment: [String: String], stdoutFD: Int32?) throws(Failure) -> pid_t {
        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let stdoutFD { posix_spawn_file_actions_adddup2(&actions, stdoutFD, 1) }
        // Nothing but stdin, stdout and stderr reaches the child: not the ledger's database, not
        // the MCP pipes, not a file another thread is writing at that instant.
        #if canImport(Darwin)
        let closeOthers = Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #else
        closeFrom3(&actions)
        let closeOthers: Int32 = 0
        #endif
        // Its own process group (so a timeout can kill everything it started); default SIGPIPE
        // handling (Swift programs ignore SIGPIPE, a child should not inherit that); no blocked signals.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(Int32(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK) | closeOthers))

        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in cArgs { free(p) }
            for p in cEnv { free(p) }
        }
        var pid = pid_t()
        var rc: Int32 = 0
        // ETXTBSY: another thread of this process may be forking while a file descriptor open
        // for writing on the program is inherited by its child for an instant (a script just
        // written). Retrying briefly is the usual remedy.
        for attempt in 0..<20 {
            rc = cArgs.withUnsafeBufferPointer { args in
                cEnv.withUnsafeBufferPointer { env in
                    posix_spawn(&pid, executable, &actions, &attributes,
                                UnsafeMutablePointer(mutating: args.baseAddress!), UnsafeMutablePointer(mutating: env.baseAddress!))
                }
            }
            guard rc == ETXTBSY, attempt < 19 else { break }
            usleep(10_000)
        }
        guard rc == 0 else {
            if let stdoutFD { close(stdoutFD) }
            throw .cannotStart(String(cString: strerror(rc)))
        }
        return pid
    }
}

#if !canImport(Darwin)
/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), looked up at run time because the
/// Swift Glibc module does not export it.
private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
private let addCloseFrom: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
    .map { unsafeBitCast($0, to: AddCloseFrom.self) }

/// Adds "close every descriptor from 3 up" to `actions`: in one action where glibc has it, else
/// one close per descriptor listed in `/proc/self/fd` (glibc ignores a close of a descriptor
/// that another thread closed meanwhile).
private func closeFrom3(_ actions: inout posix_spawn_file_actions_t) {
    if let addCloseFrom, addCloseFrom(&actions, 3) == 0 { return }
    for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
        if let fd = Int32(name), fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
    }
}
#endif

/// A started child: its pid, which is also its process group id.
private struct Running {
    let pid: pid_t

    /// Reads `fd` to end of file before `deadline`, at most `limit` bytes.
    func drain(_ fd: Int32, into output: inout [UInt8], deadline: Double, limit: Int) throws(ChildProcess.Failure) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        defer { buffer.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
        while true {
            let left = deadline - ChildProcess.now()
            guard left > 0 else { stop(); throw .timedOut }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(min(left * 1000, 1_000).rounded(.up)))
            if ready < 0 {
                if errno == EINTR { continue }
                let why = String(cString: strerror(errno))
                stop()
                throw .io("cannot read its output: \(why)")
            }
            if ready == 0 { continue }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                let why = String(cString: strerror(errno))
                stop()
                throw .io("cannot read its output: \(why)")
            }
            if n == 0 { return }
            guard output.count + n <= limit else { stop(); throw .outputTooLarge(limit: limit) }
            output.append(contentsOf: buffer[0..<n])
        }
    }

    /// Waits for the exit before `deadline`: (exit code, signal).
    func wait(deadline: Double) throws(ChildProcess.Failure) -> (Int32, Int32) {
        var raw: Int32 = 0
        while true {
            let r = waitpid(pid, &raw, WNOHANG)
            if r == pid { break }
            if r < 0, errno != EINTR { throw .io("cannot wait for it: \(String(cString: strerror(errno)))") }
            guard ChildProcess.now() < deadline else { stop(); throw .timedOut }
            usleep(2_000)
        }
        return raw & 0x7f == 0 ? ((raw >> 8) & 0xff, 0) : (0, raw & 0x7f)
    }

    /// Kills the child's process group and reaps the child.
    func stop() {
        _ = signalGroup(pid, SIGKILL)
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0, errno == EINTR {}
    }
}

/// `kill(-group, signal)`; a free function because inside `Running` the name would be ambiguous.
private func signalGroup(_ group: pid_t, _ signal: Int32) -> Int32 {
    kill(-group, signal)
}
