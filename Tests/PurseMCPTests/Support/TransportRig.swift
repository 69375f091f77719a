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

/// A bare `LineTransport` over two real pipes, without the SDK's `Server`: the test writes raw
/// input, reads what the transport delivers (`receive()`) and what it writes itself (error
/// frames), byte for byte.
final class TransportRig: @unchecked Sendable {
    let transport: LineTransport
    private let clientWrite: Int32
    private let serverRead: Int32
    private let serverWrite: Int32
    private let clientRead: Int32
    private let lock = NSLock()
    private var inputClosed = false
    private var output: [UInt8] = []
    private let outputDone = DispatchSemaphore(value: 0)

    init(maxLineBytes: Int) async throws {
        var a: [Int32] = [0, 0]
        var b: [Int32] = [0, 0]
        precondition(pipe(&a) == 0 && pipe(&b) == 0)
        (serverRead, clientWrite) = (a[0], a[1])
        (clientRead, serverWrite) = (b[0], b[1])
        var logger = Logger(label: "purse.test") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = .critical
        transport = LineTransport(input: serverRead, output: serverWrite, logger: logger, maxLineBytes: maxLineBytes)
        try await transport.connect()
        // Read the output from the start, so a full pipe never holds the transport's writer.
        let thread = Thread { [self] in readOutput() }
        thread.name = "purse.test.rig-reader"
        thread.start()
    }

    /// Writes raw bytes to the transport's input, off the pool (a large write blocks until the
    /// transport has read most of it).
    func write(_ bytes: [UInt8]) async {
        let fd = clientWrite
        let ok = await offPool { FrameWriter.writeAll(fd, bytes) }
        precondition(ok, "write to the transport's input failed")
    }

    /// Writes text to the transport's input.
    func write(_ text: String) async { await write(Array(text.utf8)) }

    /// Closes the input (EOF), collects every frame the transport delivers until its receive
    /// stream finishes, stops the transport and returns (delivered frames, output lines).
    func finish() async throws -> (delivered: [JSONValue], written: [JSONValue]) {
        closeInput()
        var delivered: [JSONValue] = []
        for try await data in await transport.receive() {
            delivered.append(try JSONValue.parse([UInt8](data)))
        }
        await transport.disconnect()
        close(serverWrite)  // the output reader sees EOF once the transport's writer stopped
        let done = outputDone
        await offPool { done.wait() }
        close(clientRead)
        close(serverRead)
        let bytes = lock.withLock { output }
        let written = try bytes.split(separator: 0x0A).map { try JSONValue.parse($0) }
        return (delivered, written)
    }

    private func readOutput() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(clientRead, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            lock.withLock { output += chunk[0..<n] }
        }
        outputDone.signal()
    }

    private func closeInput() {
        let first: Bool = lock.withLock {
            defer { inputClosed = true }
            return !inputClosed
        }
        if first { close(clientWrite) }
    }
}
