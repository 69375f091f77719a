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

/// JSON-RPC over a child process's stdin and stdout, one message per line (MCP's stdio
/// transport), written for a child Purse does not trust:
/// - stdout is read by a thread of its own with blocking `read(2)`, split with a cap
///   (`LineSplitter`): an oversized answer is counted and dropped, and the request it answers
///   gets `.tooLarge` at once;
/// - stderr is drained continuously by another (`StderrDrain`), so a flooding child never stalls;
/// - every request has a timeout; cancelling the caller fails its request, never the connection;
/// - writes go through a `PipeWriter`: at once when the pipe has room, else on a serial queue off
///   the cooperative pool, so a child that stops reading blocks nothing but its own requests
///   (which then time out);
/// - when stdout ends the child is reaped (TERM, then KILL) and every open request fails with
///   `upstream.died`, naming the exit status and the end of its stderr.
///
/// It does not use the swift-sdk's `StdioTransport` (swift-stack.md §1: framing corruption
/// under back-pressure, lost messages at EOF, polling).
public final class StdioConnection: MCPConnection, @unchecked Sendable {
    private let process: ChildProcess
    private let stderr: StderrDrain
    private let pending = PendingRequests()
    private let writer: PipeWriter
    private let maxMessageBytes: Int
    private let name: String
    private let log: @Sendable (String) -> Void
    private let onNotification: @Sendable (String, JSONValue?) -> Void
    private let onExit: @Sendable (String) -> Void
    private let alive = Locked(true)

    /// Starts `command` and reads its stdout.
    /// - Parameters:
    ///   - name: the upstream's name (thread names, logs).
    ///   - environment: exactly the child's environment.
    ///   - maxMessageBytes: the largest message accepted from the child.
    ///   - log: where stderr lines and protocol warnings go (rate-limited).
    ///   - onNotification: notifications from the child (called on the reader thread; keep it short).
    ///   - onExit: told once, with the exit description, when the child's stdout ended.
    /// - Throws: `UpstreamError.startFailed` when it cannot be spawned.
    public init(name: String, command: String, args: [String], environment: [String: String], maxMessageBytes: Int,
                log: @escaping @Sendable (String) -> Void,
                onNotification: @escaping @Sendable (String, JSONValue?) -> Void = { _, _ in },
                onExit: @escaping @Sendable (String) -> Void = { _ in }) throws(UpstreamError) {
        // A child that exits while we write must give EPIPE, not kill Purse (SIGPIPE).
        signal(SIGPIPE, SIG_IGN)
        self.process = try ChildProcess.spawn(command: command, args: args, environment: environment)
        self.name = name
        self.maxMessageBytes = maxMessageBytes
        self.log = log
        self.onNotification = onNotification
        self.onExit = onExit
        self.writer = PipeWriter(fd: process.stdinFD, name: name)
        self.stderr = StderrDrain(fd: process.stderrFD, name: name) { log("stderr: \($0)") }
        let thread = Thread { [self] in readLoop() }
        thread.name = "purse.upstream-stdout.\(name)"
        thread.start()
    }

    /// The child's pid.
    public var pid: Int32 { process.pid }

    public var isAlive: Bool { alive.withLock { $0 } }

    /// How many bytes the child wrote to stderr so far.
    public var stderrBytes: Int { stderr.total }

    public func agreed(protocolVersion: String) async {}

    public func request(_ method: String, params: JSONValue?, timeout: Duration) async throws(UpstreamError) -> RPCReply {
        let id = pending.makeID()
        var message: JSONObject = ["jsonrpc": "2.0", "id": .integer(id), "method": .string(method)]
        if let params { message["params"] = params }
        let line = Self.line(.object(message))
        let (pending, writer, name) = (self.pending, self.writer, self.name)
        let result: Result<RPCReply, UpstreamError> = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: PendingRequests.Completion) in
                pending.register(id, c)
                writer.write(line) { written in
                    if let written {
                        pending.complete(id, .failure(UpstreamError(
                            .died, "could not write to upstream \(name) (its stdin is closed)", requestMayHaveBeenSent: written > 0)))
                    }
                }
                pending.setTimer(id, Task {
                    try? await Task.sleep(for: timeout)
                    guard !Task.isCancelled else { return }
                    pending.complete(id, .failure(UpstreamError(
                        .timeout, "upstream \(name) did not answer \(method) within \(Self.seconds(timeout))", requestMayHaveBeenSent: true)))
                })
            }
        } onCancel: {
            pending.complete(id, .failure(UpstreamError(.cancelled, "the call to upstream \(name) was cancelled", requestMayHaveBeenSent: true)))
        }
        return try result.get()
    }

    public func notify(_ method: String, params: JSONValue?) async {
        var message: JSONObject = ["jsonrpc": "2.0", "method": .string(method)]
        if let params { message["params"] = params }
        writer.write(Self.line(.object(message))) { _ in }
    }

    /// Ends the child (stdin closed, then TERM after 2 s, KILL after 2 more) and waits for it.
    public func close() async {
        let process = self.process
        writer.close()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                process.terminate(grace: .seconds(2))
                c.resume()
            }
        }
    }

    /// Kills the child at once (for tests and a hung child).
    public func kill() {
        writer.close()
        process.killNow()
    }

    // MARK: - Reading

    private func readLoop() {
        var splitter = LineSplitter(maxLineBytes: maxMessageBytes)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var invalid = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { read(process.stdoutFD, $0.baseAddress!, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            for frame in splitter.feed(chunk[0..<n]) { handle(frame, invalid: &invalid) }
        }
        if let last = splitter.finish() { handle(last, invalid: &invalid) }
        closeDescriptor(process.stdoutFD)
        alive.withLock { $0 = false }
        writer.close()
        process.terminate(grace: .seconds(2))
        stderr.waitForEnd(.seconds(1))
        let status = process.exitStatus().map(ChildProcess.describe) ?? "closed its stdout"
        var why = "upstream \(name) \(status)"
        let tail = stderr.tail
        if !tail.isEmpty { why += "; its stderr ends: " + String(tail.suffix(300)) }
        onExit(why)
        pending.endAll(UpstreamError(.died, why, requestMayHaveBeenSent: true))
    }

    private func handle(_ frame: LineSplitter.Frame, invalid: inout Int) {
        switch frame {
        case let .oversized(length, head, tail):
            if let id = ResponseID.find(head: head, tail: tail), pending.complete(id, .success(.tooLarge(bytes: length))) {
                log("dropped a \(length)-byte answer to request \(id): the limit is \(maxMessageBytes) bytes")
            } else {
                log("dropped a \(length)-byte message: the limit is \(maxMessageBytes) bytes")
            }
        case let .line(bytes):
            for message in RPCFrame.parse(bytes, maxBytes: maxMessageBytes) { dispatch(message, invalid: &invalid) }
        }
    }

    private func dispatch(_ message: RPCFrame, invalid: inout Int) {
        switch message {
        case let .response(id?, reply):
            pending.complete(id, .success(reply))
        case .response(nil, _):
            log("ignored an answer with an id Purse never sent")
        case let .request(id, method, _):
            // Purse offers the upstream no capabilities: it answers ping, and refuses the rest.
            let answer: JSONValue = method == "ping"
                ? ["jsonrpc": "2.0", "id": id, "result": [:]]
                : ["jsonrpc": "2.0", "id": id, "error": ["code": -32601, "message": .string("Method not found: Purse's MCP client does not serve \(method)")]]
            writer.write(Self.line(answer)) { _ in }
        case let .notification(method, params):
            onNotification(method, params)
        case let .invalid(why):
            invalid += 1
            if invalid <= 5 { log("ignored a line that is not JSON-RPC (\(why))") }
        }
    }

    static func line(_ value: JSONValue) -> [UInt8] {
        var bytes = value.encodedBytes()
        bytes.append(0x0A)
        return bytes
    }

    static func seconds(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }
}
