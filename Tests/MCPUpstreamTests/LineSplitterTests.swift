import MCPUpstream
import Testing

@Suite struct LineSplitterTests {
    @Test func splitsLinesAcrossChunks() {
        var s = LineSplitter(maxLineBytes: 64)
        #expect(s.feed(Array("{\"a\":1}\n{\"b\"".utf8)) == [.line(Array("{\"a\":1}".utf8))])
        #expect(s.feed(Array(":2}\r\n".utf8)) == [.line(Array("{\"b\":2}".utf8))])
        #expect(s.finish() == nil)
    }
}
