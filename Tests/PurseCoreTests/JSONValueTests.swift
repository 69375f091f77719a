import Testing
@testable import PurseCore

@Suite struct JSONValueTests {
    @Test func roundTripKeepsKeyOrderAndNumberText() throws {
        let text = #"{"z":1,"a":[true,false,null],"n":300,"f":1.50,"e":1e3,"s":"é\n\"q\""}"#
        let v = try JSONValue.parse(text)
        #expect(v.encoded() == #"{"z":1,"a":[true,false,null],"n":300,"f":1.50,"e":1e3,"s":"é\n\"q\""}"#)
        #expect(v.objectValue?.keys == ["z", "a", "n", "f", "e", "s"])
        #expect(v["n"]?.int64Value == 300)
        #expect(v["f"]?.int64Value == nil)
        #expect(v["s"]?.stringValue == "é\n\"q\"")
    }

    @Test(arguments: [
        ("", JSONError.Kind.unexpectedEnd, 0), ("{", .unexpectedEnd, 1), ("[1,]", .unexpectedCharacter, 3),
        ("{\"a\":1,}", .unexpectedCharacter, 7), ("01", .trailingData, 1), ("1.", .badNumber, 0), ("-", .badNumber, 0),
        ("+1", .unexpectedCharacter, 0), ("\"\\x\"", .badEscape, 2), ("\"\u{1}\"", .badString, 1),
        ("{\"a\":1}x", .trailingData, 7), ("{\"a\":1,\"a\":2}", .duplicateKey, 7), ("nul", .unexpectedEnd, 0),
        ("\"\\ud800\"", .badEscape, 7), ("\"\\udc00x\"", .badEscape, 7), ("[1 2]", .unexpectedCharacter, 3),
        ("{1:2}", .unexpectedCharacter, 1), ("1e", .badNumber, 0), ("NaN", .unexpectedCharacter, 0),
    ])
    func rejectsMalformed(_ text: String, _ kind: JSONError.Kind, _ offset: Int) {
        #expect(throws: JSONError(kind, at: offset)) { try JSONValue.parse(text) }
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let v = try JSONValue.parse(#""\u00e9\ud83d\ude00\/\t""#)
        #expect(v.stringValue == "é😀/\t")
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONError(.badUTF8, at: 1)) { try JSONValue.parse([0x22, 0xff, 0xfe, 0x22]) }
    }

    @Test func limitsDepthAndSize() throws {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONError(.tooDeep, at: 64)) { try JSONValue.parse(deep) }
        let ok = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        _ = try JSONValue.parse(ok)
        #expect(throws: JSONError(.tooLarge, at: 0)) { try JSONParser(maxBytes: 4).parse("[1,2,3]") }
    }

    @Test func errorsCarryStableCodes() {
        do {
            _ = try JSONValue.parse("{\"a\":1,\"a\":2}")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == "json.duplicate_key")
        }
    }

    @Test func encodesControlCharacters() {
        let v = JSONValue.string("a\u{1}b")
        #expect(v.encoded() == "\"a\\u0001b\"")
    }

    @Test func objectSubscriptSetsReplacesAndRemoves() {
        var o: JSONObject = ["a": 1, "b": 2]
        o["a"] = 3
        o["c"] = 4
        o["b"] = nil
        #expect(JSONValue.object(o).encoded() == #"{"a":3,"c":4}"#)
    }
}
