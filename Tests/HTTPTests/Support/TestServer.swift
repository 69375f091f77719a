// Starts and stops Support/http_test_server.py for the HTTP integration tests.

import Foundation
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
/// Always pair `start` with `stop()` in a `defer`. The server also exits by itself when its
/// stdin closes (this process died) or after ten minutes.
final class TestServer: @unchecked Sendable {
    let host: String
    let port: Int
    let logPath: String
    private let process: Process
    private let stdinPipe: Pipe
    private let directory: String

    /// The script, located next to this file.
    static let script: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("http_test_server.py").path

    /// Starts a server on `host` and waits (at most 10 s) for its `READY <port>` line.
    init(host: String = "127.0.0.1") throws {
        precondition(host == "127.0.0.1" || host == "127.0.0.2", "test servers listen on loopback only")
        self.host = host
        var template = Array((NSTemporaryDirectory() + "/purse-http-test-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw TestServerError(description: "mkdtemp failed") }
        directory = String(cString: made)
        logPath = directory + "/requests.jsonl"

        process = Process()
        stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, host, logPath]
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        try process.run()

        do {
            let line = try Self.readLine(stdoutPipe.fileHandleForReading.fileDescriptor, timeoutMs: 10_000)
            let parts = line.split(separator: " ")
            guard parts.count == 2, parts[0] == "READY", let port = Int(parts[1]) else {
                throw TestServerError(description: "unexpected first line from the test server: \(line)")
            }
            self.port = port
        } catch {
            Self.terminate(process)
            throw error
        }
    }

    /// Starts a server on a thread of its own, so that waiting for Python to boot does not
    /// block Swift's cooperative pool (which has one thread per core).
    static func start(host: String = "127.0.0.1") async throws -> TestServer {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<TestServer, any Error>, Never>) in
            Thread { continuation.resume(returning: Result { try TestServer(host: host) }) }.start()
        }
        return try result.get()
    }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its log directory.
    func stop() {
        try? stdinPipe.fileHandleForWriting.close()
        Self.terminate(process)
        try? FileManager.default.removeItem(atPath: directory)
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

    private static func terminate(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<500 where process.isRunning { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
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
    defer { server.stop() }
    return try await body(server)
}

/// The bytes the server's `/big` and `/chunked` routes send: `i % 251`.
func serverPattern(_ n: Int) -> [UInt8] {
    (0..<n).map { UInt8($0 % 251) }
}
