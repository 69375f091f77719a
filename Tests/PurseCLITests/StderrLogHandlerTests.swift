import Foundation
import Logging
import Testing
@testable import PurseCLI

/// `serve`'s stderr handler writes what swift-log's `StreamLogHandler` writes, to the byte.
@Suite struct StderrLogHandlerTests {
    /// Collects `StreamLogHandler`'s output.
    final class Captured: TextOutputStream, @unchecked Sendable {
        var text = ""
        func write(_ string: String) { text += string }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String { "disk I/O error" }
    }

    @Test(arguments: [false, true])
    func theLineIsStreamLogHandlersToTheByte(_ withError: Bool) throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let provider = Logger.MetadataProvider { ["session": "s_1"] }
        var ours = StderrLogHandler(label: "purse", fd: fds[1], metadataProvider: provider)
        ours.metadata = ["base": "1", "z": "last"]
        let captured = Captured()
        var theirs = StreamLogHandler(label: "purse", stream: captured, metadataProvider: provider)
        theirs.metadata = ["base": "1", "z": "last"]
        let event = LogEvent(level: .info, message: "paid_fetch https://example.com/x: paid", error: withError ? Failure() : nil,
                             metadata: ["source": "purse", "base": "2"], source: "PurseMCP", file: #fileID, function: #function, line: #line)
        // The same second for both, or retry (bounded): the lines carry the time to the second.
        var ourLine = "", theirLine = ""
        for _ in 0..<5 {
            let second = time(nil)
            captured.text = ""
            ours.log(event: event)
            theirs.log(event: event)
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(fds[0], &buffer, buffer.count)
            ourLine = String(decoding: buffer[..<max(0, n)], as: UTF8.self)
            theirLine = captured.text
            if time(nil) == second { break }
        }
        close(fds[1])
        #expect(ourLine == theirLine)
        #expect(ourLine.hasSuffix("[PurseMCP] paid_fetch https://example.com/x: paid\n"))
        #expect(ourLine.contains(" info purse: base=2 ") && ourLine.contains("session=s_1"))
        #expect(ourLine.contains("error.message=disk I/O error") == withError)
    }
}
