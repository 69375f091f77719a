/// Runs `key.passwordCommand` and returns the keystore password it prints.
///
/// The command runs through `ChildProcess`: no shell, stdin from `/dev/null` (never the MCP
/// channel of `serve`), its own process group killed at the timeout. Its standard output is the
/// secret: it stays in memory, and no error message quotes it. Its standard error is inherited,
/// so the helper's own complaint ("no such secret", "vault locked") reaches the human.
public struct PasswordCommand: Sendable {
    /// The program and its arguments; the program is a path or a name looked up on `PATH`.
    public let argv: [String]
    /// How long the command may run, in seconds.
    public let timeoutSeconds: Double

    /// Creates a runner.
    public init(argv: [String], timeoutSeconds: Double) {
        self.argv = argv
        self.timeoutSeconds = timeoutSeconds
    }

    /// Runs the command and returns the first line of its standard output (without the line end).
    ///
    /// - Parameter environment: the command's environment (it needs `PATH`, `HOME` and, for
    ///   desktop secret stores, the session bus address); its `PATH` also finds the program.
    /// - Throws: `KeyLoadError` with code `key.password_command_not_found` (no such program),
    ///   `key.password_command_failed` (it could not start, exited non-zero, was killed, or
    ///   printed too much), `key.password_command_timeout` (stopped after `timeoutSeconds`), or
    ///   `key.password_command_empty` (it printed no password). Messages name the program only.
    public func run(environment: [String: String]) throws(KeyLoadError) -> String {
        let program = argv.first ?? ""
        let name = "key.passwordCommand (\(program))"
        var outcome: ChildProcess.Outcome
        do {
            outcome = try ChildProcess.run(argv, environment: environment, timeoutSeconds: timeoutSeconds, captureOutput: true)
        } catch {
            switch error {
            case .notFound:
                throw KeyLoadError("key.password_command_not_found", "\(name): no such program\(program.contains("/") ? "" : " on PATH"); give its full path or install it")
            case let .cannotStart(why):
                throw KeyLoadError("key.password_command_failed", "\(name) could not start (\(why))")
            case .timedOut:
                let seconds = timeoutSeconds == timeoutSeconds.rounded() ? String(Int(timeoutSeconds)) : String(timeoutSeconds)
                throw KeyLoadError("key.password_command_timeout", "\(name) did not finish within \(seconds) s and was stopped; if it waits for you to unlock a password manager, raise key.passwordCommandTimeoutSeconds")
            case let .outputTooLarge(limit):
                throw KeyLoadError("key.password_command_failed", "\(name) printed more than \(limit / 1024) KiB; a password is one short line")
            case let .io(why):
                throw KeyLoadError("key.password_command_failed", "\(name): \(why)")
            }
        }
        defer { outcome.output.withUnsafeMutableBufferPointer { $0.initialize(repeating: 0) } }
        if outcome.signal != 0 {
            throw KeyLoadError("key.password_command_failed", "\(name) was killed by signal \(outcome.signal)")
        }
        if outcome.exitCode != 0 {
            throw KeyLoadError("key.password_command_failed", "\(name) exited with status \(outcome.exitCode); run it by hand to see why")
        }
        var line = outcome.output.prefix { $0 != 0x0a }
        if line.last == 0x0d { line = line.dropLast() }
        guard !line.isEmpty else {
            throw KeyLoadError("key.password_command_empty", "\(name) printed no password (the first line of its standard output is used)")
        }
        return String(decoding: line, as: UTF8.self)
    }
}
