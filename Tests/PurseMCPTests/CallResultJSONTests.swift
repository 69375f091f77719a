import Foundation
import MCP
import PurseCore
import PurseTesting
import Testing
@testable import PurseMCP

/// The tool results and log lines Purse writes directly are, to the byte, what the SDK's types
/// encoded with `JSONEncoder` (as `Server.send` configures it) gave before.
@Suite("direct encoding of tool results and log lines")
struct CallResultJSONTests {
    static func sdkBytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return [UInt8](try encoder.encode(value))
    }

    static func expectSame(_ result: ToolResult, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let direct = try CallResultJSON.make(result).encodedBytes()
        let sdk = try Self.sdkBytes(PurseServer.callResult(result))
        #expect(String(decoding: direct, as: UTF8.self) == String(decoding: sdk, as: UTF8.self), sourceLocation: sourceLocation)
    }

    @Test("a paid_fetch-shaped result: mixed-case and digit keys, nested objects, escapes")
    func paidFetchShape() throws {
        let structured = try JSONValue.parse(#"""
            {"outcome":"paid","status":200,"headers":{"content-type":"application/json","x-verify-micros":"41"},
             "contentType":"application/json","body":"{\"ok\":true,\"path\":\"/a/b\"}\n\ttab","bodyEncoding":"text",
             "truncated":false,"paid":true,
             "payment":{"amount":"0.001","amountAtomic":"1000","asset":"0x5FbDB2315678afecb367f032d93F642f64180aa3",
                        "symbol":"USDC","network":"eip155:84532","payTo":"0xAbC","transaction":null,"payer":"0xdef",
                        "x402Version":2,"status":"settled","scheme":"exact","transferMethod":"eip3009",
                        "paymentFlow":"upfront","paymentId":null,"offer":null,"receipt":{"Z":1,"a":[1,{"b":2,"B":3}]}},
             "budget":{"session":{"spent":"0.001","remaining":"0.999","limit":"1"},"daily":{"spent":"0","remaining":"5","limit":"5"},"symbol":"USDC"}}
            """#)
        try Self.expectSame(ToolResult(structured: structured, summary: "HTTP 200 Paid 0.001 USDC. Budget: é ✓ \u{2028} \"q\" \\ /"))
        try Self.expectSame(ToolResult(structured: structured, summary: "failed", isError: true))
    }

    @Test("numbers are retyped as the SDK's Value retyped them")
    func numbers() throws {
        for text in ["0", "-0", "007", "-12", "9223372036854775807", "9223372036854775808", "1.5", "-0.25", "1e3", "2E-7",
                     "1.0", "100000000000000000000000", "0.1"] {
            try Self.expectSame(ToolResult(structured: ["n": .number(text), "list": [.number(text), "x"]], summary: text))
        }
    }

    @Test("random trees: keys of every kind, control characters, non-ASCII")
    func randomTrees() throws {
        var rng = SeededGenerator(state: 0x5eed)
        let keyAlphabet = Array("aAbBzZ09_-é$ \u{7f}\"\\/\u{1}\n日")
        let textAlphabet = keyAlphabet + Array("\u{0}\u{1f}\t\r\u{8}\u{c}\u{2028}\u{1F600}{}[]:,")
        func text(_ alphabet: [Character], _ max: Int) -> String {
            String((0..<Int.random(in: 0...max, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
        }
        func tree(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &rng) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &rng))
            case 2: return .integer(Int.random(in: -1_000_000...1_000_000, using: &rng))
            case 3: return .string(text(textAlphabet, 12))
            case 4: return .number(["0.5", "-3.25", "1e2", "12.0"].randomElement(using: &rng)!)
            case 5: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in tree(depth + 1) })
            default:
                var o = JSONObject()
                for _ in 0..<Int.random(in: 0...6, using: &rng) { o[text(keyAlphabet, 6)] = tree(depth + 1) }
                return .object(o)
            }
        }
        for i in 0..<300 {
            var o = JSONObject()
            for _ in 0..<Int.random(in: 0...8, using: &rng) { o[text(keyAlphabet, 8)] = tree(1) }
            try Self.expectSame(ToolResult(structured: .object(o), summary: text(textAlphabet, 20), isError: i % 7 == 0))
        }
    }

    @Test("an upstream's result passed through still takes the SDK's path")
    func passthrough() throws {
        let raw: JSONValue = ["content": [["type": "text", "text": "hi"]], "structuredContent": ["b": 1, "a": 2], "isError": false]
        let r = ToolResult.passthrough(raw, summary: "hi", isError: false)
        try Self.expectSame(r)
    }

    @Test("a log line's notifications/message frame")
    func logFrame() throws {
        for (level, message, source): (PurseMCP.LogLevel, String, String) in [(.info, "paid_fetch https://x.example/a?b=c: paid", "purse.paid_fetch"),
                                          (PurseMCP.LogLevel.warning, "quote \"x\" \\ \n é \u{1}", "purse"), (.debug, "", "purse.x")] {
            let direct = LogRouter.logFrame(level, message, source: source)
            let sdk = try Self.sdkBytes(LogMessageNotification.message(.init(level: level.mcp, logger: source, data: .string(message))))
            #expect(String(decoding: direct, as: UTF8.self) == String(decoding: sdk, as: UTF8.self))
        }
    }
}
