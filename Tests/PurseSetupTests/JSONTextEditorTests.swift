import PurseCore
import Testing
@testable import PurseSetup

/// The in-place JSON edit: other members keep their bytes, new text copies the style around it,
/// a repeated edit changes nothing, and nothing that is not strict JSON is touched.
@Suite struct JSONTextEditorTests {
    static let entry: JSONValue = ["command": "/opt/purse", "args": ["serve", "--config", "/c.json"]]

    func edit(_ text: String, _ path: [String] = ["mcpServers"], _ key: String = "purse", _ value: JSONValue = entry) throws -> (String, Bool) {
        var editor = try JSONTextEditor(bytes: Array(text.utf8))
        let changed = try editor.set(path, key, to: value)
        return (String(decoding: editor.bytes, as: UTF8.self), changed)
    }

    @Test func prettyFileGetsThePrettyEntryAndKeepsEveryOtherByte() throws {
        let original = """
            {
              "mcpServers": {
                "weather": {
                  "command": "uvx",
                  "args": ["weather-mcp", "--units", "metric"],
                  "env": {"KEY": "k\\u00e9y", "N": 1.50}
                }
              },
              "preferences": {"sidebarMode": "chat"}
            }

            """
        let (out, changed) = try edit(original)
        #expect(changed)
        #expect(out == """
            {
              "mcpServers": {
                "weather": {
                  "command": "uvx",
                  "args": ["weather-mcp", "--units", "metric"],
                  "env": {"KEY": "k\\u00e9y", "N": 1.50}
                },
                "purse": {
                  "command": "/opt/purse",
                  "args": [
                    "serve",
                    "--config",
                    "/c.json"
                  ]
                }
              },
              "preferences": {"sidebarMode": "chat"}
            }

            """)
        // A second edit with the same value changes nothing.
        let (again, changedAgain) = try edit(out)
        #expect(!changedAgain && again == out)
    }

    @Test func missingServerListIsAddedLastInTheDocumentsStyle() throws {
        let (out, _) = try edit("{\n    \"globalShortcut\": \"\",\n    \"n\": 1e3\n}")
        #expect(out == """
            {
                "globalShortcut": "",
                "n": 1e3,
                "mcpServers": {
                    "purse": {
                        "command": "/opt/purse",
                        "args": [
                            "serve",
                            "--config",
                            "/c.json"
                        ]
                    }
                }
            }
            """)
    }

    @Test func tabsAndCRLFAreKept() throws {
        let (out, _) = try edit("{\r\n\t\"mcpServers\": {\r\n\t\t\"a\": {}\r\n\t}\r\n}\r\n", ["mcpServers"], "purse", ["command": "/p"])
        #expect(out == "{\r\n\t\"mcpServers\": {\r\n\t\t\"a\": {},\r\n\t\t\"purse\": {\r\n\t\t\t\"command\": \"/p\"\r\n\t\t}\r\n\t}\r\n}\r\n")
    }

    @Test func oneLineFilesStayOnOneLine() throws {
        let (out, _) = try edit(#"{"mcpServers":{"a":{"command":"x"}}}"#, ["mcpServers"], "purse", ["command": "/p", "args": ["serve"]])
        #expect(out == #"{"mcpServers":{"a":{"command":"x"},"purse":{"command":"/p","args":["serve"]}}}"#)
        let (spaced, _) = try edit(#"{"mcpServers": {"a": 1, "b": 2}}"#, ["mcpServers"], "purse", ["command": "/p", "args": ["serve"]])
        #expect(spaced == #"{"mcpServers": {"a": 1, "b": 2, "purse": {"command": "/p", "args": ["serve"]}}}"#)
    }

    @Test func emptyDocumentsGetAPrettyObject() throws {
        for text in ["", "  \n", "{}", "{}\n", "{ }"] {
            let (out, changed) = try edit(text, ["mcpServers"], "purse", ["command": "/p"])
            #expect(changed)
            #expect(try JSONValue.parse(out) == ["mcpServers": ["purse": ["command": "/p"]]])
            #expect(out.hasPrefix("{\n  \"mcpServers\": {\n    \"purse\": {\n      \"command\": \"/p\"\n    }\n  }\n}"), "\(text.debugDescription) → \(out)")
        }
        let (inner, _) = try edit("{\n  \"mcpServers\": {}\n}\n", ["mcpServers"], "purse", ["command": "/p"])
        #expect(inner == "{\n  \"mcpServers\": {\n    \"purse\": {\n      \"command\": \"/p\"\n    }\n  }\n}\n")
    }

    @Test func aChangedEntryIsReplacedInPlace() throws {
        let original = "{\n  \"mcpServers\": {\n    \"purse\": {\"command\": \"/old\"},\n    \"z\": {}\n  }\n}\n"
        let (out, changed) = try edit(original, ["mcpServers"], "purse", ["command": "/new"])
        #expect(changed)
        #expect(out == "{\n  \"mcpServers\": {\n    \"purse\": {\n      \"command\": \"/new\"\n    },\n    \"z\": {}\n  }\n}\n")
    }

    @Test(arguments: [
        "{\"mcpServers\": {}, // comment\n}",
        "{\"mcpServers\": {\"a\": 1,}}",
        "{\"mcpServers\": ",
        "not json",
        "{\"a\": 1, \"a\": 2}",
    ])
    func notStrictJSONIsRefused(_ text: String) {
        let error = #expect(throws: JSONEditError.self) { try JSONTextEditor(bytes: Array(text.utf8)) }
        #expect(error?.code == "json_edit.not_json")
    }

    @Test func wrongShapesAreRefused() throws {
        #expect(throws: JSONEditError.rootNotObject(found: "array")) { try JSONTextEditor(bytes: Array("[1]".utf8)) }
        var editor = try JSONTextEditor(bytes: Array(#"{"mcpServers": []}"#.utf8))
        #expect(throws: JSONEditError.notAnObject(path: "mcpServers", found: "array")) { try editor.set(["mcpServers"], "purse", to: 1) }
        #expect(String(decoding: editor.bytes, as: UTF8.self) == #"{"mcpServers": []}"#)
    }

    @Test func appendUniqueAddsOnceAndCreatesTheArray() throws {
        var editor = try JSONTextEditor(bytes: Array("{\n  \"servers\": {}\n}\n".utf8))
        let input: JSONValue = ["id": "pw", "password": true]
        #expect(try editor.appendUnique([], "inputs", input) { $0["id"] == "pw" })
        #expect(String(decoding: editor.bytes, as: UTF8.self) == "{\n  \"servers\": {},\n  \"inputs\": [\n    {\n      \"id\": \"pw\",\n      \"password\": true\n    }\n  ]\n}\n")
        #expect(try editor.appendUnique([], "inputs", input) { $0["id"] == "pw" } == false)

        var existing = try JSONTextEditor(bytes: Array("{\n  \"inputs\": [\n    {\"id\": \"other\"}\n  ]\n}".utf8))
        #expect(try existing.appendUnique([], "inputs", input) { $0["id"] == "pw" })
        #expect(String(decoding: existing.bytes, as: UTF8.self) == "{\n  \"inputs\": [\n    {\"id\": \"other\"},\n    {\n      \"id\": \"pw\",\n      \"password\": true\n    }\n  ]\n}")
    }

    @Test func nestedPathsAreCreated() throws {
        let (out, _) = try edit("{\"a\": 1}", ["x", "y"], "z", "v")
        #expect(try JSONValue.parse(out) == ["a": 1, "x": ["y": ["z": "v"]]])
        #expect(out == #"{"a": 1, "x": {"y": {"z": "v"}}}"#)
    }
}
