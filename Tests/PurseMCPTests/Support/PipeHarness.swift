import Foundation
import PurseTesting
import Logging
import PurseCore
@testable import PurseMCP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct HarnessTimeout: Error, CustomStringConvertible {
    var description: String
}

/// Runs a `PurseServer` in-process over two real pipes and plays the client.
///
/// Every line the server writes is parsed with the strict JSON parser; a line that does not
/// parse is kept in `badLines` (tests expect none).
final class PipeHarness: @unchecked Sendable {
    struct ReaderOptions {
        var startDelay: Duration = .zero
        var chunkSize = 64 * 1024
        var pausePerChunk: Duration = .zero
    }

    let backend: FakeBackend
    private let clientWrite: Int32
    private let clientRead: Int32
    private let serverRead: Int32
    private let serverWrite: Int32
    private let lock = NSLock()
    private var _lines: [JSONValue] = []
    private var _badLines: [String] = []
    private var _inputClosed = false
    private var _runFinished: ContinuousClock.Instant?
    private var runTask: Task<Void, Error>!
    private let readerDone = DispatchSemaphore(value: 0)
    /// Answers a server-to-client request (elicitation); nil means never answer, and a value of
    /// the form `{"error": {...}}` answers with that JSON-RPC error.
    let responder: (@Sendable (JSONValue) -> JSONValue?)?

    var lines: [JSONValue] { lock.withLock { _lines } }
    var badLines: [String] { lock.withLock { _badLines } }
    var runFinished: ContinuousClock.Instant? { lock.withLock { _runFinished } }

    /// - Parameter serving: the backend the server runs on, when not `backend` (the unconfigured one).
    init(
        backend: FakeBackend = FakeBackend(), approvalTimeout: Duration = .seconds(5),
        reader: ReaderOptions = ReaderOptions(), responder: (@Sendable (JSONValue) -> JSONValue?)? = nil,
        serving: (any PurseToolBackend)? = nil
    ) {
        self.backend = backend
        self.responder = responder
        var a: [Int32] = [0, 0]
        var b: [Int32] = [0, 0]
        precondition(pipe(&a) == 0 && pipe(&b) == 0)
        serverRead = a[0]
        clientWrite = a[1]
        clientRead = b[0]
        serverWrite = b[1]
        signal(SIGPIPE, SIG_IGN)

        var logger = Logger(label: "purse.test") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = Logger.Level.critical
        let server = PurseServer(backend: serving ?? backend, version: "0.0.1-test", approvalTimeout: approvalTimeout, logger: logger)
        let (input, output) = (serverRead, serverWrite)
        runTask = Task {
            try await server.run(input: input, output: output)
            self.lock.withLock { self._runFinished = .now }
        }
        let thread = Thread { [self] in self.readLoop(reader) }
        thread.start()
    }

    // MARK: Client side

    /// Writes raw bytes to the server's stdin.
    func sendRaw(_ text: String) {
        let bytes = Array(text.utf8)
        precondition(FrameWriter.writeAll(clientWrite, bytes))
    }

    /// Writes raw bytes to the server's stdin from a thread of its own: a write larger than the
    /// pipe's buffer blocks until the server has read it, which must not hold a pool thread.
    func sendRawOffPool(_ bytes: [UInt8]) async {
        let fd = clientWrite
        let ok = await offPool { FrameWriter.writeAll(fd, bytes) }
        precondition(ok, "write to the server's stdin failed")
    }

    /// Writes one JSON line.
    func send(_ json: JSONValue) { sendRaw(json.encoded() + "\n") }

    /// Writes a request.
    func request(_ id: Int, _ method: String, _ params: JSONValue = [:]) {
        send(["jsonrpc": "2.0", "id": .integer(id), "method": .string(method), "params": params])
    }

    /// Sends `initialize` (id 0) and `notifications/initialized`, and returns the result.
    @discardableResult
    func initialize(version: String = "2025-06-18", capabilities: JSONValue = [:]) async throws -> JSONValue {
        request(0, "initialize", [
            "protocolVersion": .string(version), "capabilities": capabilities,
            "clientInfo": ["name": "harness", "version": "1.2.3"],
        ])
        let reply = try await response(0)
        send(["jsonrpc": "2.0", "method": "notifications/initialized"])
        return reply
    }

    /// Calls a tool and returns the JSON-RPC response.
    func callTool(_ id: Int, _ name: String, _ arguments: JSONValue) async throws -> JSONValue {
        request(id, "tools/call", ["name": .string(name), "arguments": arguments])
        return try await response(id)
    }

    /// Waits for the response with this id.
    func response(_ id: Int, timeout: Duration = .seconds(30)) async throws -> JSONValue {
        try await waitFor("response \(id)", timeout: timeout) { $0["id"] == .integer(id) && $0["method"] == nil }
    }

    /// Waits for a line matching `predicate`.
    func waitFor(_ what: String, timeout: Duration = .seconds(30), _ predicate: (JSONValue) -> Bool) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let hit = lines.first(where: predicate) { return hit }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw HarnessTimeout(description: "timed out waiting for \(what); got \(lines.map { $0.encoded().prefix(200) })")
    }

    /// Closes the server's stdin.
    func closeInput() {
        let first: Bool = lock.withLock {
            defer { _inputClosed = true }
            return !_inputClosed
        }
        if first { close(clientWrite) }
    }

    /// Closes stdin, waits for `run()` to return and for the output to be read to EOF.
    func finish() async throws {
        closeInput()
        try await runTask.value
        close(serverWrite)
        let done = readerDone
        await offPool { done.wait() }
        close(clientRead)
        close(serverRead)
    }

    /// Waits for `run()` to return (after `closeInput()`).
    func waitForRun() async throws {
        try await runTask.value
    }

    // MARK: Reading

    private func readLoop(_ options: ReaderOptions) {
        if options.startDelay > .zero {
            let c = options.startDelay.components
            usleep(UInt32(c.seconds * 1_000_000 + c.attoseconds / 1_000_000_000_000))
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: options.chunkSize)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(clientRead, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            // Only the new bytes are searched for a newline: rescanning the whole buffer for each
            // 4 KiB chunk of a 900 KB line cost seconds of CPU in a debug build.
            var scanFrom = buffer.count
            buffer.append(contentsOf: chunk[0..<n])
            var lineStart = 0
            while let nl = buffer[scanFrom...].firstIndex(of: 0x0A) {
                handle(Array(buffer[lineStart..<nl]))
                lineStart = nl + 1
                scanFrom = lineStart
            }
            if lineStart > 0 { buffer.removeFirst(lineStart) }
            if options.pausePerChunk > .zero {
                let c = options.pausePerChunk.components
                usleep(UInt32(c.seconds * 1_000_000 + c.attoseconds / 1_000_000_000_000))
            }
        }
        if !buffer.isEmpty {
            lock.withLock { _badLines.append("unterminated: " + String(decoding: buffer.prefix(200), as: UTF8.self)) }
        }
        readerDone.signal()
    }

    private func handle(_ line: [UInt8]) {
        guard let value = try? JSONValue.parse(line) else {
            lock.withLock { _badLines.append(String(decoding: line.prefix(200), as: UTF8.self)) }
            return
        }
        lock.withLock { _lines.append(value) }
        if value["method"] != nil, let id = value["id"], let responder, let result = responder(value) {
            let inputClosed = lock.withLock { _inputClosed }
            if !inputClosed {
                // A reply of the form {"error": {...}} is sent as a JSON-RPC error.
                if let error = result["error"], result.objectValue?.keys == ["error"] {
                    send(["jsonrpc": "2.0", "id": id, "error": error])
                } else {
                    send(["jsonrpc": "2.0", "id": id, "result": result])
                }
            }
        }
    }
}
