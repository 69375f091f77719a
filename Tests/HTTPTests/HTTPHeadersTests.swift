import Testing
@testable import HTTP

@Suite struct HTTPHeadersTests {
    @Test func lookupIgnoresCaseAndReturnsFirstValue() {
        let h = HTTPHeaders([("Content-Type", "application/json"), ("X-A", "1"), ("x-a", "2")])
        #expect(h["content-type"] == "application/json")
        #expect(h["CONTENT-TYPE"] == "application/json")
        #expect(h["x-A"] == "1")
        #expect(h["missing"] == nil)
        #expect(h.values("X-a") == ["1", "2"])
        #expect(h.contains("X-A"))
        #expect(!h.contains("X-B"))
        #expect(h.count == 3)
    }

    @Test func optionalWhitespaceIsTrimmedAndNothingElse() {
        #expect(HTTPHeaders.trimmingOptionalWhitespace(" \t a b \t") == "a b")
        #expect(HTTPHeaders.trimmingOptionalWhitespace("plain") == "plain")
        #expect(HTTPHeaders.trimmingOptionalWhitespace(" \t ") == "")
        #expect(HTTPHeaders.trimmingOptionalWhitespace("") == "")
        #expect(HTTPHeaders.trimmingOptionalWhitespace("é ") == "é")
        // Not optional whitespace: kept (a line break in a value is refused before this).
        #expect(HTTPHeaders.trimmingOptionalWhitespace("\u{00A0}x\n") == "\u{00A0}x\n")
    }

    @Test func sequenceKeepsOrderAndRepeats() {
        let h = HTTPHeaders([("B", "2"), ("A", "1"), ("b", "3")])
        #expect(h.map(\.name) == ["B", "A", "b"])
        #expect(h.map(\.value) == ["2", "1", "3"])
    }

    @Test func addAppendsAndKeepsExisting() {
        var h = HTTPHeaders()
        #expect(h.isEmpty)
        h.add("Accept", "a")
        h.add("accept", "b")
        #expect(h.values("ACCEPT") == ["a", "b"])
    }

    @Test func setReplacesAllAtFirstPosition() {
        var h = HTTPHeaders([("X", "1"), ("Y", "y"), ("x", "2"), ("Z", "z")])
        h.set("X", "new")
        #expect(h.map(\.name) == ["X", "Y", "Z"])
        #expect(h.values("x") == ["new"])
        h.set("W", "w")
        #expect(h.map(\.name) == ["X", "Y", "Z", "W"])
    }

    @Test func removeDropsEveryMatch() {
        var h = HTTPHeaders([("X", "1"), ("Y", "y"), ("x", "2")])
        h.remove("X")
        #expect(h.map(\.name) == ["Y"])
        h.remove("absent")
        #expect(h.count == 1)
    }

    @Test func equalityIgnoresNameCaseButNotValuesOrOrder() {
        #expect(HTTPHeaders([("A", "1"), ("B", "2")]) == HTTPHeaders([("a", "1"), ("b", "2")]))
        #expect(HTTPHeaders([("A", "1")]) != HTTPHeaders([("A", "x")]))
        #expect(HTTPHeaders([("A", "1"), ("B", "2")]) != HTTPHeaders([("B", "2"), ("A", "1")]))
        #expect(HTTPHeaders([("A", "1")]) != HTTPHeaders([("A", "1"), ("A", "1")]))
    }

    @Test func nameComparisonIsASCIIOnly() {
        #expect(HTTPHeaders.sameName("X-Payment", "x-payment"))
        #expect(!HTTPHeaders.sameName("X-Payment", "X-Paymen"))
        #expect(!HTTPHeaders.sameName("a", "á"))
        #expect(!HTTPHeaders.sameName("[", "{")) // 0x5b vs 0x7b: not letters, so not folded
    }
}
