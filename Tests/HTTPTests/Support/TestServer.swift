// Starts and stops Support/http_test_server.py for the HTTP integration tests.

import Foundation
import PurseTesting
import PurseCore
#if canImport(Glibc)
import Glibc
#endif

/// Why the test server could not be used.
struct TestServerError: Error, CustomStringConvertible {
    let description: String
}

/// One running instance of the Python test server, on 127.0.0.1 or 127.0.0.2 only.
///
/// Use `withTestServer`, or pair `start` with `await stop()`. The server also exits by itself
/// when its stdin closes (this process died) or after ten minutes. Starting and stopping wait for
/// events (the `READY` line, the process's exit) on threads of their own, never on the
/// cooperative pool.
final class TestServer: @unchecked Sendable {
    let host: String
    let port: Int
    let logPath: String
    private let process: Process
    private let exit: ExitSignal
    private let stdinPipe: Pipe
    /// Holds the request log; removed when this object goes, even when the start fails.
    private let directory: ScratchDirectory
    private let stopLock = NSLock()
    private var stopped = false

    /// The script, located next to this file.
    static let script: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("http_test_server.py").path

    /// Starts a server on `host` and waits (at most 30 s) for its `READY <port>` line.
    init(host: String = "127.0.0.1") throws {
        precondition(host == "127.0.0.1" || host == "127.0.0.2", "test servers listen on loopback only")
        self.host = host
        directory = try ScratchDirectory("purse-http-test")
        logPath = directory.file("requests.jsonl")

        process = Process()
        stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, host, logPath]
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        exit = ExitSignal(process)
        try process.run()

        do {
            let line = try Self.readLine(stdoutPipe.fileHandleForReading.fileDescriptor, timeoutMs: 30_000)
            let parts = line.split(separator: " ")
            guard parts.count == 2, parts[0] == "READY", let port = Int(parts[1]) else {
                throw TestServerError(description: "unexpected first line from the test server: \(line)")
            }
            self.port = port
        } catch {
            Self.terminate(process, exit)
            throw error
        }
    }

    /// Starts a server on a thread of its own, so that waiting for Python to boot does not
    /// block Swift's cooperative pool (which has one thread per core).
    static func start(host: String = "127.0.0.1") async throws -> TestServer {
        try await startGate.withPermit { try await offPool { try TestServer(host: host) } }
    }

    /// Two servers start at a time: a burst of Python start-ups on two cores would miss the
    /// READY deadline. Only the start is gated; running servers hold no permit.
    private static let startGate = AsyncGate(permits: 2)

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit; once. The wait
    /// runs on a thread of its own. The log stays readable until this object goes.
    func stop() async {
        let first: Bool = stopLock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        await offPool { [self] in
            try? stdinPipe.fileHandleForWriting.close()
            Self.terminate(process, exit)
        }
    }

    /// `http://host:port` followed by `path`.
    func url(_ path: String) -> String { "http://\(host):\(port)\(path)" }

    /// The requests logged so far, one JSON object each.
    func log() throws -> [JSONValue] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
    }

    /// The value of the first header `name` (ignoring case) in a logged request.
    static func header(_ entry: JSONValue, _ name: String) -> String? {
        headers(entry, name).first
    }

    /// Every value of header `name` (ignoring case) in a logged request.
    static func headers(_ entry: JSONValue, _ name: String) -> [String] {
        (entry["headers"]?.arrayValue ?? []).compactMap { pair -> String? in
            guard let p = pair.arrayValue, p.count == 2, let k = p[0].stringValue,
                  k.lowercased() == name.lowercased() else { return nil }
            return p[1].stringValue
        }
    }

    /// SIGTERM, then waits for the exit event; SIGKILL if it has not come within 5 s.
    private static func terminate(_ process: Process, _ exit: ExitSignal) {
        guard !exit.hasExited else { return }
        kill(process.processIdentifier, SIGTERM)
        if !exit.wait(seconds: 5) {
            kill(process.processIdentifier, SIGKILL)
            _ = exit.wait(seconds: 5)
        }
    }

    private static func readLine(_ fd: Int32, timeoutMs: Int) throws -> String {
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        while !bytes.contains(0x0a) {
            let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard left > 0, poll(&p, 1, left) > 0 else {
                throw TestServerError(description: "the test server did not report READY in time")
            }
            var chunk = [UInt8](repeating: 0, count: 256)
            let n = read(fd, &chunk, chunk.count)
            guard n > 0 else { throw TestServerError(description: "the test server exited before READY") }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes.prefix { $0 != 0x0a }, as: UTF8.self)
    }
}

/// Runs `body` with a fresh server on `host`, stopping the server however `body` ends.
func withTestServer<T>(
    _ host: String = "127.0.0.1",
    _ body: (TestServer) async throws -> T
) async throws -> T {
    let server = try await TestServer.start(host: host)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// The bytes the server's `/big` and `/chunked` routes send: `i % 251`.
func serverPattern(_ n: Int) -> [UInt8] {
    (0..<n).map { UInt8($0 % 251) }
}

/// Waits until `condition` holds, checking it every 10 ms for at most `timeout`: a bounded poll of
/// a real condition (a line in the server's log), never a blind sleep.
/// - Throws: `TestServerError` naming `what` when the deadline passes.
func waitUntil(
    _ what: String, timeout: Duration = .seconds(10), _ condition: () throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try !condition() {
        guard ContinuousClock.now < deadline else { throw TestServerError(description: "timed out waiting until \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}
