import Foundation
import MCP
import PurseCore
import Testing
@testable import PurseMCP

/// How the transport finds the id an outgoing frame answers without decoding the frame.
@Suite("outgoing frame ids")
struct OutgoingFrameTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("a success response's id is found in its first bytes, however large the result")
    func largeResultIsNotRead() {
        let body = String(repeating: "x", count: 1 << 20)
        let frame = Self.bytes(#"{"id":42,"jsonrpc":"2.0","result":{"content":[{"text":"\#(body)","type":"text"}]}}"#)
        let scan = FrameClassifier.scanOutgoing(frame)
        #expect(scan.kind == .response(id: 42))
        #expect(scan.examined < 64, "examined \(scan.examined) of \(frame.count) bytes")
        #expect(FrameClassifier.outgoing(frame).answers == ["n:42"])
    }

    @Test("frames the SDK encodes: sorted keys, ids of both kinds")
    func sdkEncodedFrames() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]  // as swift-sdk's Server.send
        let result = CallTool.Result(content: [.text(text: String(repeating: "é\"\\}{", count: 5000), annotations: nil, _meta: nil)], isError: false)
        for id in [MCP.ID.number(7), .string("r-\"1\"")] {
            let frame = [UInt8](try encoder.encode(CallTool.response(id: id, result: result)))
            let expected: JSONValue = switch id {
            case let .number(n): .integer(n)
            case let .string(s): .string(s)
            }
            #expect(FrameClassifier.scanOutgoing(frame).kind == .response(id: expected))
            #expect(FrameClassifier.outgoing(frame) == FrameClassifier.parsedOutgoing(frame))
            let failure = [UInt8](try encoder.encode(CallTool.response(id: id, error: MCPError.invalidParams("bad {\"x\"}"))))
            #expect(FrameClassifier.scanOutgoing(failure).kind == .response(id: expected))
        }
        let note = [UInt8](try encoder.encode(LogMessageNotification.message(.init(level: .info, logger: "purse", data: .string("\"id\":1")))))
        #expect(FrameClassifier.scanOutgoing(note).kind == .notification)
        #expect(FrameClassifier.outgoing(note) == .init())
    }

    @Test("an error response, whose error member comes before the id, is answered")
    func errorBeforeID() {
        let frame = Self.bytes(#"{"error":{"code":-32602,"data":{"nested":["}","\"id\":9"]},"message":"m"},"id":"abc","jsonrpc":"2.0"}"#)
        #expect(FrameClassifier.scanOutgoing(frame).kind == .response(id: "abc"))
        #expect(FrameClassifier.outgoing(frame).answers == ["s:abc"])
    }

    @Test("key order does not change the answer, only how far the walk reads")
    func anyKeyOrder() {
        let frame = Self.bytes(#"{"result":{"id":1,"method":"x"}, "jsonrpc" : "2.0" ,"id" : 5 }"#)
        #expect(FrameClassifier.scanOutgoing(frame).kind == .response(id: 5))
        let note = Self.bytes(#"{"params":{"id":3},"method":"notifications/progress","jsonrpc":"2.0"}"#)
        #expect(FrameClassifier.scanOutgoing(note).kind == .notification)
    }

    @Test("outgoing requests are parsed in full for their approval tag")
    func requestsKeepTheApprovalTag() {
        let frame = Self.bytes(#"{"id":"s1","jsonrpc":"2.0","method":"elicitation/create","params":{"_meta":{"purse/approvalId":"T"}}}"#)
        #expect(FrameClassifier.scanOutgoing(frame).kind == .request)
        let out = FrameClassifier.outgoing(frame)
        #expect(out.approvalTag?.tag == "T")
        #expect(out.approvalTag?.id == "s1")
        #expect(out.answers.isEmpty)
    }

    @Test("what the walk cannot tell falls back to the full parse", arguments: [
        #"{"i\u0064":3,"jsonrpc":"2.0","result":{}}"#,  // an escaped key
        #"[{"id":1,"jsonrpc":"2.0","result":{}},{"id":2,"jsonrpc":"2.0","result":{}}]"#,  // a batch
        #"{"id":1,"jsonrpc":"2.0"}"#,  // neither result, error nor method
        #"{"id":1,"jsonrpc":"2.0","res"#,  // cut short before the walk knows (frames from the SDK never are)
        "not json",
    ])
    func fallback(text: String) {
        let frame = Self.bytes(text)
        #expect(FrameClassifier.scanOutgoing(frame).kind == .unknown)
        #expect(FrameClassifier.outgoing(frame) == FrameClassifier.parsedOutgoing(frame))
    }

    /// Random JSON-RPC-shaped frames, members in random order, with strings full of quotes,
    /// backslashes and brackets: the walk must agree with the full parse on every one.
    @Test("the walk agrees with the full parse on random frames")
    func agreesWithTheParser() {
        var rng = SystemRandomNumberGenerator()
        func randomString() -> String {
            let pieces = ["a", "\"", "\\", "{", "}", "[", "]", ",", ":", "é", "\n", "id", "result", " "]
            return (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
        }
        func randomValue(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0...(depth > 2 ? 3 : 5), using: &rng) {
            case 0: return .string(randomString())
            case 1: return .integer(Int.random(in: -1000...1000, using: &rng))
            case 2: return [.bool(true), .bool(false), .null].randomElement(using: &rng)!
            case 3: return .number("1.5e3")
            case 4: return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in randomValue(depth + 1) })
            default:
                var o = JSONObject()
                for _ in 0..<Int.random(in: 0...3, using: &rng) { o[randomString()] = randomValue(depth + 1) }
                return .object(o)
            }
        }
        for _ in 0..<2000 {
            var members: [JSONMember] = [JSONMember("jsonrpc", "2.0")]
            if Bool.random(using: &rng) {
                members.append(JSONMember("id", Bool.random(using: &rng) ? .integer(Int.random(in: 0...99, using: &rng)) : .string(randomString())))
            }
            switch Int.random(in: 0...3, using: &rng) {
            case 0: members.append(JSONMember("result", randomValue(0)))
            case 1: members.append(JSONMember("error", ["code": -1, "message": .string(randomString()), "data": randomValue(0)]))
            case 2: members.append(JSONMember("method", .string(randomString())))
                members.append(JSONMember("params", randomValue(0)))
            default: break
            }
            members.shuffle(using: &rng)
            let frame = JSONValue.object(JSONObject(members)).encodedBytes() + [0x0A]
            let fast = FrameClassifier.outgoing(frame)
            let full = FrameClassifier.parsedOutgoing(frame)
            #expect(fast == full, "\(String(decoding: frame, as: UTF8.self))")
            if fast != full { return }
        }
    }

    @Test("the id of a line too long to read is taken from its first bytes, when it is there", arguments: [
        (#"{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"pad":"xxxx"#, JSONValue.integer(12)),
        (#"{"id":"a\"b","method":"x""#, JSONValue.string("a\"b")),
        (#"  {"method":"x","params":{"id":4,"y":[1,{"id":5}]},"id":6,"more":"#, JSONValue.integer(6)),
        (#"{"jsonrpc":"2.0","method":"tools/call","params":{"pad":"xxxx"#, JSONValue?.none),  // id after the prefix
        (#"{"jsonrpc":"2.0","id":12"#, JSONValue?.none),  // the number may go on
        (#"{"jsonrpc":"2.0","id":"abc"#, JSONValue?.none),  // the string may go on
        (#"{"id":{"x":1},"method":"x""#, JSONValue?.none),  // not a valid id
        (#"{"id":1.5,"method":"x""#, JSONValue?.none),
        (#"[{"id":1}]"#, JSONValue?.none),
        (#"{"i\u0064":1,"method":"x""#, JSONValue?.none),
    ])
    func requestIDInPrefix(prefix: String, id: JSONValue?) {
        // (JSONValue is nil-literal convertible, so the cases spell "no id" as `JSONValue?.none`.)
        #expect(FrameClassifier.requestID(inPrefix: Self.bytes(prefix)) == id)
    }
}
