import Foundation
import PurseCore
import Testing
@testable import PurseMCP

/// Input lines over the transport's limit: refused with a JSON-RPC error that names the limit
/// (and the request's id when it shows early in the line), never buffered, never fatal.
@Suite("oversized input lines", .timeLimit(.minutes(1)))
struct OversizedLineTests {
    /// A message of exactly `length` bytes: `{"jsonrpc":"2.0",["id":…,]"method":…,"params":{"pad":"xxx…"}}`.
    static func message(id: JSONValue?, method: String = "ping", length: Int, idLast: Bool = false) -> String {
        func build(_ pad: Int) -> String {
            let params = #""params":{"pad":""# + String(repeating: "x", count: pad) + #""}"#
            let idPart = id.map { #""id":"# + $0.encoded() }
            var members = [#""jsonrpc":"2.0""#, #""method":"\#(method)""#, params]
            if let idPart { idLast ? members.append(idPart) : members.insert(idPart, at: 1) }
            return "{" + members.joined(separator: ",") + "}"
        }
        let text = build(length - build(0).utf8.count)
        precondition(text.utf8.count == length)
        return text
    }

    static func expectRefusal(_ frame: JSONValue?, id: JSONValue, length: Int, limit: Int) {
        #expect(frame?["id"] == id)
        #expect(frame?["error"]?["code"] == -32600)
        #expect(frame?["error"]?["data"]?["maxLineBytes"] == .integer(limit))
        let message = frame?["error"]?["message"]?.stringValue ?? ""
        #expect(message.contains("\(length) bytes"), "\(message)")
        #expect(message.contains("limit is \(limit) bytes"), "\(message)")
    }

    @Test("a line of exactly maxLineBytes is read; one byte more is refused with -32600 and its id")
    func boundary() async throws {
        let rig = try await TransportRig(maxLineBytes: 256)
        let atLimit = Self.message(id: nil, method: "notifications/at-limit", length: 256)
        let overLimit = Self.message(id: 7, length: 257)
        let after = #"{"jsonrpc":"2.0","method":"notifications/after"}"#
        await rig.write(atLimit + "\n" + overLimit + "\n" + after + "\n")
        let (delivered, written) = try await rig.finish()
        #expect(delivered.map { $0["method"] } == ["notifications/at-limit", "notifications/after"])
        #expect(written.count == 1)
        Self.expectRefusal(written.first, id: 7, length: 257, limit: 256)
    }

    @Test("a line many reads long is refused with its id, and the line after it is read")
    func spansManyReads() async throws {
        let rig = try await TransportRig(maxLineBytes: 1024)
        let big = Self.message(id: "big-one", method: "tools/call", length: 300_000)  // ~5 reads of 64 KiB
        await rig.write(big + "\n" + #"{"jsonrpc":"2.0","method":"notifications/next"}"# + "\n")
        let (delivered, written) = try await rig.finish()
        #expect(delivered.map { $0["method"] } == ["notifications/next"])
        #expect(written.count == 1)
        Self.expectRefusal(written.first, id: "big-one", length: 300_000, limit: 1024)
    }

    @Test("an id that only comes after the first 4 KiB cannot be read: the error has id null")
    func idBeyondThePrefix() async throws {
        let rig = try await TransportRig(maxLineBytes: 1024)
        let big = Self.message(id: 9, length: 10_000, idLast: true)
        await rig.write(big + "\n")
        let (delivered, written) = try await rig.finish()
        #expect(delivered.isEmpty)
        Self.expectRefusal(written.first, id: .null, length: 10_000, limit: 1024)
    }

    @Test("an oversized last line without a newline is refused at EOF")
    func unterminatedAtEOF() async throws {
        let rig = try await TransportRig(maxLineBytes: 512)
        await rig.write(Self.message(id: 3, length: 2000))
        let (delivered, written) = try await rig.finish()
        #expect(delivered.isEmpty)
        #expect(written.count == 1)
        Self.expectRefusal(written.first, id: 3, length: 2000, limit: 512)
    }

    @Test("over the default 16 MiB limit, purse serve answers the request with -32600 and goes on")
    func defaultLimitThroughTheServer() async throws {
        let h = PipeHarness()
        try await h.initialize()
        let limit = LineTransport.defaultMaxLineBytes
        #expect(limit == 16 << 20)
        let big = Self.message(id: 5, method: "tools/call", length: limit + 1)
        await h.sendRawOffPool(Array((big + "\n").utf8))
        Self.expectRefusal(try await h.response(5), id: 5, length: limit + 1, limit: limit)
        h.request(6, "ping")
        #expect(try await h.response(6)["result"] == .object([:]))
        try await h.finish()
        #expect(h.backend.calls.isEmpty)
        #expect(h.badLines.isEmpty)
    }
}
