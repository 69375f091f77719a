import Foundation
import MCP
import PurseCore
import Testing
@testable import PurseMCP

@Suite("schemas, validation and conversions")
struct UnitTests {
    static let schemaDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas/tools")

    /// Set PURSE_WRITE_SCHEMAS=1 to regenerate the files from the code.
    @Test("in-code schemas equal schemas/tools/*.schema.json", arguments: ToolCatalog.names)
    func schemaFilesMatch(tool: String) throws {
        // A tool without an output schema (paid_tool_call: the server's own result) has no file.
        let schemas = [("input", ToolCatalog.inputSchema(tool))] + (ToolCatalog.declaredOutputSchema(tool).map { [("output", $0)] } ?? [])
        for (kind, schema) in schemas {
            let url = Self.schemaDirectory.appendingPathComponent("\(tool).\(kind).schema.json")
            if ProcessInfo.processInfo.environment["PURSE_WRITE_SCHEMAS"] == "1" {
                try (schema.prettyEncoded() + "\n").write(to: url, atomically: true, encoding: .utf8)
            }
            let file = try JSONValue.parse(Array(try Data(contentsOf: url)))
            #expect(file == schema, "\(url.lastPathComponent) drifted from ToolCatalog")
            #expect(file["$schema"] == "https://json-schema.org/draft/2020-12/schema")
            if kind == "input" { #expect(file["additionalProperties"] == false) }
        }
    }

    @Test("the catalog's MCP tools carry the same schemas as the JSON")
    func catalogToolsMatch() {
        for tool in ToolCatalog.tools {
            #expect(JSONValue(tool.inputSchema) == JSONValue(ToolCatalog.inputSchema(tool.name).mcpValue))
            #expect(tool.outputSchema == ToolCatalog.declaredOutputSchema(tool.name)?.mcpValue)
            #expect(tool.description?.isEmpty == false)
        }
    }

    @Test("validator: types, enums, required, additionalProperties, patterns")
    func validator() throws {
        let schema = ToolCatalog.inputSchema("paid_fetch")
        #expect(SchemaValidator.validate(["url": "https://x.example/a"], against: schema) == nil)
        #expect(SchemaValidator.validate(["url": "https://x.example/a", "method": "HEAD", "max_price": "0.05"], against: schema) == nil)
        #expect(SchemaValidator.validate([:], against: schema)?.path == "url")
        #expect(SchemaValidator.validate(["url": true], against: schema)?.reason == "must be a string, got boolean")
        #expect(SchemaValidator.validate(["url": "https://x.example/a", "max_price": "-1"], against: schema)?.path == "max_price")
        #expect(SchemaValidator.validate(["url": "https://x.example/a", "max_price": "0.1234567890123456789"], against: schema)?.path == "max_price")
        #expect(SchemaValidator.validate(["url": "https://x.example/a", "body": 3], against: schema)?.path == "body")
        let nullable: JSONValue = ["type": ["string", "null"]]
        #expect(SchemaValidator.validate(.null, against: nullable) == nil)
        #expect(SchemaValidator.validate(1, against: nullable) != nil)
        #expect(SchemaValidator.validate(.number("3"), against: ["type": "integer"]) == nil)
        #expect(SchemaValidator.validate(.number("3.5"), against: ["type": "integer"]) != nil)
    }

    @Test("JSONValue ↔ Value: integers become .int, other numbers .double, amounts stay strings")
    func valueConversion() throws {
        let json = try JSONValue.parse(#"{"a":1,"b":2.5,"c":"0.05","d":[true,null],"e":-7,"f":1e3}"#)
        let value = json.mcpValue
        #expect(value.objectValue?["a"] == .int(1))
        #expect(value.objectValue?["b"] == .double(2.5))
        #expect(value.objectValue?["c"] == .string("0.05"))
        #expect(value.objectValue?["d"] == .array([.bool(true), .null]))
        #expect(value.objectValue?["e"] == .int(-7))
        #expect(value.objectValue?["f"] == .double(1000))
        let back = JSONValue(value)
        #expect(back["a"] == 1)
        #expect(back["b"] == .number("2.5"))
        #expect(back["c"] == "0.05")
        #expect(back.objectValue?.keys == ["a", "b", "c", "d", "e", "f"])  // sorted
        #expect(JSONValue(MCP.Value.double(.infinity)) == .null)
    }

    @Test("frame classification: requests, cancels, responses, invalid ids")
    func classifier() {
        func classify(_ s: String) -> FrameClassifier.Incoming { FrameClassifier.incoming(Array(s.utf8)) }
        #expect(classify(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#) == .message(requests: ["n:1"], cancels: []))
        #expect(classify(#"{"jsonrpc":"2.0","id":"a","method":"ping"}"#) == .message(requests: ["s:a"], cancels: []))
        #expect(classify(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":4}}"#) == .message(requests: [], cancels: ["n:4"]))
        #expect(classify(#"{"jsonrpc":"2.0","id":"x","result":{}}"#) == .message(requests: [], cancels: []))
        #expect(classify(#"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}]"#) == .message(requests: ["n:1", "n:2"], cancels: []))
        #expect(classify(#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#) == .invalid(id: .null, reason: "id must be a string or an integer"))
        #expect(classify(#"{"id":3,"method":"ping"}"#) == .invalid(id: 3, reason: "jsonrpc must be \"2.0\""))
        #expect(classify("[]") == .invalid(id: .null, reason: "empty batch"))
        if case .unparseable = classify("nope") {} else { Issue.record("expected unparseable") }
        let out = FrameClassifier.outgoing(Array(#"{"id":"s1","jsonrpc":"2.0","method":"elicitation/create","params":{"_meta":{"purse/approvalId":"T"}}}"#.utf8))
        #expect(out.approvalTag?.tag == "T")
        #expect(out.approvalTag?.id == "s1")
        #expect(out.answers.isEmpty)
        #expect(FrameClassifier.outgoing(Array(#"{"id":9,"jsonrpc":"2.0","result":{}}"#.utf8)).answers == ["n:9"])
    }

    @Test("MCP errors have stable codes")
    func mcpErrorCodes() {
        #expect(PurseMCPError.badArguments(tool: "quote", argument: "url", reason: "is required").code == "mcp.bad_arguments")
    }
}
