// PurseMCP: the MCP face of the Purse wallet.
import Foundation
import Logging
import MCP
import PurseCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A newline-delimited JSON-RPC transport over two file descriptors (stdin/stdout by default).
///
/// It replaces the SDK's `StdioTransport`, which corrupts frames under back-pressure, drops
/// in-flight responses at EOF and the last unterminated line, polls while idle, and answers
/// parse errors with a random id. Here:
/// - a dedicated thread reads with blocking `read(2)` and yields frames in order;
/// - a dedicated thread writes each frame whole (`FrameWriter`); no task suspends mid-frame;
/// - request ids in and response ids out are counted, and the receive stream finishes at EOF
///   only once every request has been answered or cancelled (so the SDK's `Server` keeps
///   running until its replies are written); the id a reply answers is found by walking the
///   frame's first members, not by decoding the whole reply (`FrameClassifier+Outgoing.swift`);
/// - a final line without a newline is still delivered;
/// - a line longer than `maxLineBytes` (16 MiB by default) is refused with `-32600` without
///   being buffered, and the session goes on;
/// - unparseable lines are answered with `-32700` and `"id": null`, and frames that are not
///   JSON-RPC messages with `-32600`, without reaching the SDK;
/// - O_NONBLOCK is never set, and the descriptors are never closed (the caller owns them).
///
/// It is an actor because the SDK's `Transport` protocol requires one.
public actor LineTransport: Transport {
    /// The logger (stderr only: stdout carries JSON-RPC frames and nothing else).
    public nonisolated let logger: Logger

    /// The default longest line accepted: 16 MiB, not counting the newline.
    public static let defaultMaxLineBytes = 16 << 20

    /// The longest line accepted, in bytes, not counting its newline.
    ///
    /// A longer line is not buffered: its first `OversizedLine.prefixLimit` bytes are kept, the
    /// rest is counted and dropped up to the next newline, and it is answered with `-32600`
    /// Invalid Request (`data.maxLineBytes` names the limit). The error carries the line's
    /// request id when a top-level `"id"` shows in the kept prefix (clients put it near the
    /// start), else `"id": null`. Nothing reaches the SDK and the session goes on.
    public nonisolated let maxLineBytes: Int

    private nonisolated let input: Int32
    private nonisolated let writer: FrameWriter
    private nonisolated let tracker: RequestTracker
    private nonisolated let stream: AsyncThrowingStream<Data, Swift.Error>
    private nonisolated let continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation
    /// Fires when the input reaches EOF (or fails); approval prompts stop waiting then.
    nonisolated let inputClosed = Latch()
    /// Offered every valid incoming message before the SDK; set once, before `connect()`.
    private nonisolated let router = TransportRouter()
    private var connected = false

    /// Creates a transport reading frames from `input` and writing them to `output`.
    /// - Parameter maxLineBytes: the longest input line accepted (see `maxLineBytes`).
    public init(input: Int32 = 0, output: Int32 = 1, logger: Logger, maxLineBytes: Int = LineTransport.defaultMaxLineBytes) {
        precondition(maxLineBytes > 0, "the line limit must be positive")
        self.input = input
        self.maxLineBytes = maxLineBytes
        self.logger = logger
        self.writer = FrameWriter(fd: output)
        let (stream, continuation) = AsyncThrowingStream<Data, Swift.Error>.makeStream()
        self.stream = stream
        self.continuation = continuation
        self.tracker = RequestTracker { continuation.finish() }
    }

    /// Starts the reader and writer threads. SIGPIPE is ignored process-wide so a client that
    /// goes away makes `write` fail with EPIPE instead of killing the process.
    public func connect() async throws {
        guard !connected else { return }
        connected = true
        signal(SIGPIPE, SIG_IGN)
        writer.start()
        let thread = Thread { [self] in self.readLoop() }
        thread.name = "purse.stdin-reader"
        thread.start()
    }

    /// Finishes the receive stream and stops the writer after it has written what is queued.
    /// The reader thread, if still blocked in `read(2)`, ends at the next EOF.
    public func disconnect() async {
        continuation.finish()
        await writer.close()
    }

    /// Writes one frame and returns once it is fully written.
    /// - Throws: `MCPError.connectionClosed` when the output is closed or failed.
    public func send(_ data: Data) async throws {
        let ok = await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            enqueue(Self.frame(data)) { c.resume(returning: $0) }
        }
        if !ok { throw MCPError.connectionClosed }
    }

    /// Queues one frame of ours (`JSONValue`'s compact encoding, so one line) without waiting:
    /// what `send` does, minus the wait and the hop onto this actor, for replies nobody awaits
    /// (the tool results `StatelessServer` writes). Frames keep the order they were queued in.
    nonisolated func enqueueReply(_ json: [UInt8]) {
        var bytes = json
        bytes.append(0x0A)
        enqueue(bytes, done: nil)
    }

    /// Counts the frame against the request it answers once written (or failed), and records an
    /// outgoing approval request's tag; an approval request given up before it was queued is
    /// followed at once by its cancellation.
    private nonisolated func enqueue(_ bytes: [UInt8], done: (@Sendable (Bool) -> Void)?) {
        let info = FrameClassifier.outgoing(bytes)
        let tracker = self.tracker
        let abandoned = info.approvalTag.flatMap { tag in
            tracker.recordApproval(tag: tag.tag, id: tag.id).map { (id: tag.id, reason: $0) }
        }
        writer.enqueue(bytes) { ok in
            tracker.settled(info.answers)
            done?(ok)
        }
        if let abandoned { postCancelled(abandoned.id, reason: abandoned.reason) }
    }

    /// Queues `notifications/cancelled` for our request `id`, behind every frame queued so far.
    private nonisolated func postCancelled(_ id: JSONValue, reason: String) {
        let cancel: JSONValue = [
            "jsonrpc": "2.0", "method": "notifications/cancelled",
            "params": ["requestId": id, "reason": .string(reason)],
        ]
        postJSON(cancel.encodedBytes())
    }

    /// Queues a frame (a notification) without waiting; frames keep the order they were posted
    /// or sent in.
    nonisolated func post(_ data: Data) {
        writer.enqueue(Self.frame(data))
    }

    /// `post` for a notification of ours in `JSONValue`'s compact encoding (one line already):
    /// no copy through `Data` and no scan for raw line breaks.
    nonisolated func postJSON(_ json: [UInt8]) {
        var bytes = json
        bytes.append(0x0A)
        writer.enqueue(bytes)
    }

    /// The incoming frames, in order; finishes after EOF once every request was answered.
    public func receive() -> AsyncThrowingStream<Data, Swift.Error> {
        stream
    }

    /// Offers every valid incoming message (parsed) to `divert` before the SDK: when it returns
    /// true the message is its to answer (through `send`) and the SDK never sees it. Called on
    /// the reader thread, in input order, so it must not block. Set before `connect()`.
    nonisolated func route(with divert: @escaping @Sendable (JSONValue) -> Bool) {
        router.divert = divert
    }

    /// Forgets the elicitation request that carried `tag` in `_meta` (its approval was decided);
    /// false when none was queued.
    @discardableResult
    nonisolated func forgetApproval(tag: String) -> Bool {
        tracker.takeApprovalID(tag: tag) != nil
    }

    /// Gives up the approval tagged `tag` (it timed out) and withdraws its prompt from the client
    /// with `notifications/cancelled`: at once when the prompt was already queued, else right
    /// behind it, should a stalled task queue it later.
    nonisolated func abandonApproval(tag: String, reason: String) {
        if let id = tracker.abandonApproval(tag: tag, reason: reason) { postCancelled(id, reason: reason) }
    }


    // MARK: - Reading

    private nonisolated func readLoop() {
        var partial: [UInt8] = []  // the start of a line whose newline has not come yet
        var oversized: OversizedLine?  // set while the rest of a too-long line is skipped
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    var p = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
                    _ = poll(&p, 1, -1)
                    continue
                }
                logger.error("stdin read failed", metadata: ["errno": "\(errno)"])
                break
            }
            if n == 0 { break }
            var start = 0
            while let nl = chunk[start..<n].firstIndex(of: 0x0A) {
                let piece = chunk[start..<nl]
                if var line = oversized {
                    line.add(piece)
                    answerOversized(line)
                    oversized = nil
                } else if partial.count + piece.count > maxLineBytes {
                    answerOversized(OversizedLine(partial, piece))
                    partial = []
                } else if partial.isEmpty {
                    handleLine(piece)  // the common case: a whole line inside one read
                } else {
                    partial.append(contentsOf: piece)
                    handleLine(partial[...])
                    partial = []
                }
                start = nl + 1
            }
            let rest = chunk[start..<n]
            if oversized != nil {
                oversized!.add(rest)
            } else if partial.count + rest.count > maxLineBytes {
                oversized = OversizedLine(partial, rest)
                partial = []  // frees the buffer: the rest of the line is counted, not kept
            } else {
                partial.append(contentsOf: rest)
            }
        }
        if let line = oversized {
            answerOversized(line)
        } else if !partial.isEmpty {
            handleLine(partial[...])  // a final line without a newline
        }
        inputClosed.fire()
        tracker.endOfInput()
    }

    /// Answers a line longer than `maxLineBytes` without reading it: `-32600` with the line's
    /// request id when it shows in the first bytes (so the client's request fails at once
    /// instead of waiting forever), else with id null.
    private nonisolated func answerOversized(_ line: OversizedLine) {
        let id = FrameClassifier.requestID(inPrefix: line.prefix) ?? .null
        logger.warning("refused an oversized input line", metadata: [
            "bytes": "\(line.length)", "limit": "\(maxLineBytes)", "id": "\(id.encoded())",
        ])
        writer.enqueue(FrameClassifier.errorFrame(
            id: id, code: -32600,
            message: "Invalid Request: the line is \(line.length) bytes long; the limit is \(maxLineBytes) bytes",
            data: ["maxLineBytes": .integer(maxLineBytes)]))
    }

    private nonisolated func handleLine(_ raw: ArraySlice<UInt8>) {
        var line = raw
        while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 { line.removeLast() }
        while let first = line.first, first == 0x20 || first == 0x09 { line.removeFirst() }
        guard !line.isEmpty else { return }
        let bytes = Array(line)
        let (kind, value) = FrameClassifier.classify(bytes)
        switch kind {
        case let .unparseable(reason):
            logger.warning("unparseable input line", metadata: ["reason": "\(reason)"])
            writer.enqueue(FrameClassifier.errorFrame(id: .null, code: -32700, message: "Parse error: \(reason)"))
        case let .invalid(id, reason):
            logger.warning("invalid JSON-RPC message", metadata: ["reason": "\(reason)"])
            writer.enqueue(FrameClassifier.errorFrame(id: id, code: -32600, message: "Invalid Request: \(reason)"))
        case let .message(requests, cancels):
            // Counted before anyone can answer, whichever layer does.
            tracker.received(requests)
            if let value, let divert = router.divert, divert(value) {
                // Our stateless layer took it (2026-07-28): the SDK never sees it.
            } else {
                continuation.yield(Data(bytes))
            }
            tracker.settled(cancels)
        }
    }

    /// The frame bytes with a trailing newline. A raw CR or LF can only be insignificant white
    /// space in valid JSON, so it is turned into a space to keep one frame on one line.
    private static func frame(_ data: Data) -> [UInt8] {
        var bytes = [UInt8](data)
        for i in bytes.indices where bytes[i] == 0x0A || bytes[i] == 0x0D { bytes[i] = 0x20 }
        bytes.append(0x0A)
        return bytes
    }
}
