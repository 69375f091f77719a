import Foundation
import Testing
@testable import PurseMCP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The writer's two paths (inline on the caller's thread, or its own thread) keep frames whole
/// and in order, and a caller never blocks on a full pipe.
@Suite struct FrameWriterTests {
    /// A frame `producer:seq:` padded with `x` to `size` bytes, newline included.
    private static func frame(_ producer: Int, _ seq: Int, size: Int) -> [UInt8] {
        var bytes = Array("\(producer):\(seq):".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: max(0, size - bytes.count - 1))
        bytes.append(0x0A)
        return bytes
    }

    /// Reads `fd` to EOF on a thread of its own; `lines` waits for it.
    private final class PipeReader: @unchecked Sendable {
        private var bytes: [UInt8] = []
        private let done = DispatchSemaphore(value: 0)

        init(fd: Int32) {
            let thread = Thread { [self] in
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let n = read(fd, &buffer, buffer.count)
                    if n <= 0 { break }
                    bytes += buffer[0..<n]
                }
                done.signal()
            }
            thread.start()
        }

        func lines(timeout: Double = 30) -> [Substring]? {
            guard done.wait(timeout: .now() + timeout) == .success else { return nil }
            return String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0 }
        }
    }

    @Test("mixed small (inline) and large (queued) frames from four threads arrive whole, each producer's in order")
    func concurrentMixedFramesStayWholeAndOrdered() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let reader = PipeReader(fd: fds[0])
        let writer = FrameWriter(fd: fds[1])
        writer.start()
        let (producers, perProducer) = (4, 150)
        let written = ManagedCounter()
        DispatchQueue.concurrentPerform(iterations: producers) { p in
            for seq in 0..<perProducer {
                // Every seventh frame is larger than the inline limit, so both paths interleave.
                let size = seq % 7 == 0 ? FrameWriter.inlineLimit * 5 : 64 + (seq * 37) % 3000
                writer.enqueue(Self.frame(p, seq, size: size)) { ok in if ok { written.add() } }
            }
        }
        await writer.close()
        close(fds[1])
        let lines = try #require(reader.lines())
        close(fds[0])
        #expect(lines.count == producers * perProducer)
        #expect(written.value == producers * perProducer)
        var next = [Int](repeating: 0, count: producers)
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 2)
            let (p, seq) = (Int(parts[0])!, Int(parts[1])!)
            #expect(seq == next[p], "producer \(p): frame \(seq) came when \(next[p]) was due")
            next[p] = seq + 1
            let size = seq % 7 == 0 ? FrameWriter.inlineLimit * 5 : 64 + (seq * 37) % 3000
            #expect(line.utf8.count == size - 1, "frame \(p):\(seq) is not whole")
        }
    }

    @Test("a small frame to a full pipe is queued, not written inline: the caller returns, and it arrives once read")
    func fullPipeDoesNotBlockTheCaller() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let writer = FrameWriter(fd: fds[1])
        writer.start()
        // Fill the pipe behind the writer's back (non-blocking only while filling), so the
        // writer is idle with nothing queued: only poll(2) can tell it the pipe is full.
        let flags = fcntl(fds[1], F_GETFL)
        #expect(fcntl(fds[1], F_SETFL, flags | O_NONBLOCK) == 0)
        let filler = [UInt8](repeating: UInt8(ascii: "f"), count: 4095) + [0x0A]
        var filled = 0
        while true {
            let n = filler.withUnsafeBytes { write(fds[1], $0.baseAddress!, $0.count) }
            if n <= 0 { break }
            filled += n
        }
        #expect(errno == EAGAIN)
        #expect(filled % 4096 == 0)
        #expect(fcntl(fds[1], F_SETFL, flags) == 0)
        let returned = DispatchSemaphore(value: 0)
        Thread {
            writer.enqueue(Self.frame(1, 0, size: 100))
            returned.signal()
        }.start()
        // A bound, not a pause: an inline write to the full pipe would not return.
        #expect(returned.wait(timeout: .now() + 30) == .success)
        let reader = PipeReader(fd: fds[0])
        await writer.close()
        close(fds[1])
        let lines = try #require(reader.lines())
        close(fds[0])
        #expect(lines.last?.hasPrefix("1:0:") == true)
        #expect(lines.last?.utf8.count == 99)
        #expect(lines.count == filled / 4096 + 1)
    }
}

/// A counter safe to bump from any thread.
private final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
