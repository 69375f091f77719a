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

    @Test func escapesExactlyQuoteBackslashAndControlCharactersWhateverTheRuns() {
        // The escape each byte below 0x20, the quote and the backslash get (RFC 8259's short
        // forms where they exist, else \u00xx in lower case); every other byte is copied.
        func expected(_ s: String) -> [UInt8] {
            var out: [UInt8] = [0x22]
            for b in s.utf8 {
                switch b {
                case 0x22: out += Array(#"\""#.utf8)
                case 0x5c: out += Array(#"\\"#.utf8)
                case 0x0a: out += Array(#"\n"#.utf8)
                case 0x0d: out += Array(#"\r"#.utf8)
                case 0x09: out += Array(#"\t"#.utf8)
                case 0x08: out += Array(#"\b"#.utf8)
                case 0x0c: out += Array(#"\f"#.utf8)
                case 0x00..<0x20: out += Array(#"\u00"#.utf8) + Array(String(b >> 4, radix: 16).utf8) + Array(String(b & 0xf, radix: 16).utf8)
                default: out.append(b)
                }
            }
            return out + [0x22]
        }
        let ascii = String(decoding: (0..<0x80).map { UInt8($0) }, as: UTF8.self)
        for s in [ascii, "", "plain", "\"", "é😀\u{2028}/x", String(repeating: "ab\"c\\d\n", count: 300) + "tail", "\u{1f}end", "end\u{0}"] {
            #expect(JSONValue.string(s).encodedBytes() == expected(s))
        }
    }

    @Test func objectSubscriptSetsReplacesAndRemoves() {
        var o: JSONObject = ["a": 1, "b": 2]
        o["a"] = 3
        o["c"] = 4
        o["b"] = nil
        #expect(JSONValue.object(o).encoded() == #"{"a":3,"c":4}"#)
    }
}
