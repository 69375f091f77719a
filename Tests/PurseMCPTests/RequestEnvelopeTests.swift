import PurseCore
import Testing
@testable import PurseMCP

/// The 2026-07-28 per-request envelope in `params._meta`, and the revision's errors for it.
@Suite struct RequestEnvelopeTests {
    static let version = "io.modelcontextprotocol/protocolVersion"
    static let capabilities = "io.modelcontextprotocol/clientCapabilities"

    func parse(_ text: String) throws -> Result<RequestEnvelope, RPCError> { RequestEnvelope.parse(try JSONValue.parse(text)) }

    @Test func aFullEnvelopeIsRead() throws {
        let e = try parse(#"""
            {"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",
              "io.modelcontextprotocol/clientCapabilities":{"elicitation":{"form":{},"url":{}}},
              "io.modelcontextprotocol/clientInfo":{"name":"mcp","version":"0.1.0"},
              "io.modelcontextprotocol/logLevel":"warning","progressToken":"p1"}}
            """#).get()
        #expect(e.version == "2026-07-28" && e.clientName == "mcp 0.1.0" && e.logLevel == .warning && e.progressToken == "p1")
        #expect(e.supportsFormElicitation)
        #expect(RequestEnvelope.isEnveloped(try JSONValue.parse(#"{"_meta":{"io.modelcontextprotocol/protocolVersion":"x"}}"#)))
        #expect(!RequestEnvelope.isEnveloped(try JSONValue.parse(#"{"_meta":{"progressToken":1}}"#)))
        #expect(!RequestEnvelope.isEnveloped(nil))
    }

    @Test("elicitation: form, or an empty object (read as form); url alone is not form", arguments: [
        (#"{}"#, false), (#"{"elicitation":{}}"#, true), (#"{"elicitation":{"form":{}}}"#, true),
        (#"{"elicitation":{"url":{}}}"#, false), (#"{"sampling":{}}"#, false),
    ])
    func elicitation(capabilities: String, form: Bool) throws {
        let e = try parse(#"{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":"# + capabilities + "}}").get()
        #expect(e.supportsFormElicitation == form)
    }

    @Test("malformed envelopes are -32602 naming what is wrong", arguments: [
        (#"{}"#, "params._meta must be an object"),
        (#"{"_meta":3}"#, "params._meta must be an object"),
        (#"{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}"#, "missing the required envelope key(s): io.modelcontextprotocol/clientCapabilities"),
        (#"{"_meta":{"io.modelcontextprotocol/clientCapabilities":{}}}"#, "missing the required envelope key(s): io.modelcontextprotocol/protocolVersion"),
        (#"{"_meta":{"io.modelcontextprotocol/protocolVersion":20260728,"io.modelcontextprotocol/clientCapabilities":{}}}"#, "must be a string"),
        (#"{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":[]}}"#, "must be an object"),
    ])
    func malformed(params: String, phrase: String) throws {
        guard case let .failure(e) = try parse(params) else { Issue.record("accepted \(params)"); return }
        #expect(e.code == -32602 && e.message.contains(phrase), "\(e.message)")
    }

    @Test("an unknown or handshake-only version is -32022 naming what is served", arguments: ["2025-11-25", "2099-01-01", ""])
    func unsupported(version: String) throws {
        guard case let .failure(e) = try parse(#"{"_meta":{"io.modelcontextprotocol/protocolVersion":""# + version + #"","io.modelcontextprotocol/clientCapabilities":{}}}"#) else {
            Issue.record("accepted \(version)"); return
        }
        #expect(e == RPCError(code: -32022, message: "Unsupported protocol version",
                              data: ["supported": ["2026-07-28"], "requested": .string(version)]))
    }
}
