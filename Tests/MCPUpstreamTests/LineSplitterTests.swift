import MCPUpstream
import Testing

/// Framing of a child's stdout: lines across chunks, blanks, and the cap.
@Suite struct LineSplitterTests {
    @Test func splitsLinesAcrossChunks() {
        var s = LineSplitter(maxLineBytes: 64)
        #expect(s.feed(Array("{\"a\":1}\n{\"b\"".utf8)) == [.line(Array("{\"a\":1}".utf8))])
        #expect(s.feed(Array(":2}\r\n".utf8)) == [.line(Array("{\"b\":2}".utf8))])
        #expect(s.finish() == nil)
    }

    @Test func blankLinesAreSkippedAndAFinalLineWithoutNewlineIsKept() {
        var s = LineSplitter(maxLineBytes: 64)
        #expect(s.feed(Array("\n  \r\n{}\n".utf8)) == [.line(Array("{}".utf8))])
        #expect(s.feed(Array("[1]".utf8)).isEmpty)
        #expect(s.finish() == .line(Array("[1]".utf8)))
    }

    @Test func anOversizedLineIsCountedNotKeptAndTheNextLineIsWhole() {
        var s = LineSplitter(maxLineBytes: 16)
        let big = "{\"id\":7,\"result\":\"" + String(repeating: "x", count: 10_000) + "\"}"
        var frames: [LineSplitter.Frame] = []
        // Fed in small chunks, as a pipe delivers it.
        var rest = Array((big + "\n{\"id\":8}\n").utf8)[...]
        while !rest.isEmpty {
            frames += s.feed(rest.prefix(333))
            rest = rest.dropFirst(333)
        }
        #expect(frames.count == 2)
        guard case let .oversized(length, head, tail) = frames[0] else { Issue.record("not oversized"); return }
        #expect(length == big.utf8.count)
        #expect(head.count <= LineSplitter.keptBytes && tail.count <= LineSplitter.keptBytes)
        #expect(ResponseID.find(head: head, tail: tail) == 7)
        #expect(frames[1] == .line(Array("{\"id\":8}".utf8)))
    }
}

/// Finding the id of an answer from its first or last bytes.
@Suite struct ResponseIDTests {
    @Test(arguments: [
        (#"{"jsonrpc":"2.0","id":12,"result":{"content":[{"text":"xxxx"#, 12),
        (#"{ "id" : 3 , "result": {"#, 3),
        (#"{"result":{"id":99,"content":[{"text":"x"#, nil),
        (#"{"jsonrpc":"2.0","result":{"note":"\"id\":5"#, nil),
    ] as [(String, Int?)])
    func head(text: String, id: Int?) {
        #expect(ResponseID.find(head: Array(text.utf8), tail: []) == id)
    }

    @Test(arguments: [
        (#"xxxx"}]},"jsonrpc":"2.0","id":41}"#, 41),
        (#"xxx"}]}, "id" : 5 } "#, 5),
        (#"xxx"}]},"id":"abc"}"#, nil),
        (#"xxx"}]}}"#, nil),
    ] as [(String, Int?)])
    func tail(text: String, id: Int?) {
        #expect(ResponseID.find(head: Array("{\"jsonrpc\":\"2.0\",\"result\":{".utf8), tail: Array(text.utf8)) == id)
    }
}

/// The event stream of a Streamable HTTP answer.
@Suite struct SSEParserTests {
    @Test func eventsAreSplitByBlankLinesWithDataJoined() {
        let body = "event: message\ndata: {\"a\":\ndata: 1}\n\n: a comment\nid: 7\ndata: {\"b\":2}\r\n\r\ndata: last"
        #expect(SSEParser.events(Array(body.utf8)) == [
            SSEParser.Event(type: "message", data: "{\"a\":\n1}"),
            SSEParser.Event(type: "message", data: "{\"b\":2}"),
            SSEParser.Event(type: "message", data: "last"),
        ])
    }

    @Test func anEventWithoutDataIsNoEvent() {
        #expect(SSEParser.events(Array("event: ping\n\n:keepalive\n\n".utf8)).isEmpty)
    }
}

/// Classifying JSON-RPC messages from an upstream.
@Suite struct RPCFrameTests {
    @Test func responsesRequestsNotificationsAndJunk() {
        let frames = RPCFrame.parse(Array(#"[{"jsonrpc":"2.0","id":1,"result":{"ok":true}},{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"nope","data":{"x":1}}},{"jsonrpc":"2.0","id":"s1","method":"ping"},{"jsonrpc":"2.0","method":"notifications/tools/list_changed"},{"jsonrpc":"2.0","id":"x","result":1},7]"#.utf8), maxBytes: 1 << 20)
        #expect(frames == [
            .response(id: 1, .result(["ok": true])),
            .response(id: 2, .error(code: -32601, message: "nope", data: ["x": 1])),
            .request(id: "s1", method: "ping", params: nil),
            .notification(method: "notifications/tools/list_changed", params: nil),
            .response(id: nil, .result(1)),
            .invalid("a number, not an object"),
        ])
        guard case .invalid = RPCFrame.parse(Array("{not json".utf8), maxBytes: 100).first else { Issue.record("expected invalid"); return }
    }
}
