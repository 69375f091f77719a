import Foundation
import PurseCore
import Testing
import Wallet
@testable import PurseMCP

/// A server whose wallet could not be opened: it lists its tools, and every tool and resource
/// answers with the error and the fix, in both revisions.
@Suite struct UnconfiguredServerTests {
    static let advice = SetupAdvice(
        error: PurseError("key.not_configured", "no key: set PURSE_PRIVATE_KEY"), configPath: "/home/me/.config/purse/config.json")

    @Test func setupAdviceNamesTheFixAndThePaths() {
        let a = Self.advice
        #expect(a.fix.contains("purse keygen --out /home/me/.config/purse/key.json"))
        #expect(a.fix.contains(#""keystore": "/home/me/.config/purse/key.json""#) && a.fix.contains("PURSE_KEY_PASSWORD"))
        #expect(a.summary.contains("[key.not_configured]") && a.summary.contains("nothing can be paid"))
        #expect(a.json()["error"]?["fix"] == .string(a.fix) && a.json()["notConfigured"] == true)
        let relative = SetupAdvice(error: PurseError("config.bad_value", "x"), configPath: "cfg/config.json")
        #expect(relative.configPath.hasPrefix("/") && relative.configPath.hasSuffix("/cfg/config.json"))
        #expect(relative.fix.contains("Fix \(relative.configPath)"))
        for (code, phrase) in [("key.password_missing", "password variable"), ("key.file_permissions", "chmod 600"),
                               ("ledger.read_only", "PURSE_DB"), ("key.bad_hex", "purse address"), ("other.thing", "restart")] {
            #expect(SetupAdvice(error: PurseError(code, "m"), configPath: "/c.json").fix.contains(phrase), "\(code)")
        }
        // A PostgreSQL ledger: the server, the password variable and TLS, not a writable path.
        let pg = SetupAdvice(error: PurseError("ledger.unavailable", "the ledger at postgresql://purse@db:5432/fleet is unavailable: pg.connect_failed: refused"),
                             configPath: "/c.json").fix
        #expect(!pg.contains("writable path") && pg.contains("dbPasswordEnv") && pg.contains("sslmode") && pg.contains("purse doctor --config /c.json"), "\(pg)")
    }

    @Test("every tool answers with the fix", arguments: ["2025-11-25", "2026-07-28"])
    func everyToolExplains(revision: String) async throws {
        let h = PipeHarness(serving: UnconfiguredToolBackend(advice: Self.advice))
        var replies: [JSONValue] = []
        let stateless = revision == "2026-07-28"
        let meta: JSONValue = [
            "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": [:],
        ]
        if !stateless { try await h.initialize(version: revision) }
        func send(_ id: Int, _ method: String, _ params: JSONObject) async throws -> JSONValue {
            var p = params
            if stateless { p["_meta"] = meta }
            h.request(id, method, .object(p))
            return try await h.response(id)
        }
        let list = try await send(1, "tools/list", [:])
        for (i, tool) in ToolCatalog.names.enumerated() {
            let args: JSONValue = ["paid_fetch", "quote"].contains(tool) ? ["url": "https://x.example/a"]
                : tool == "discover" ? ["query": "weather"]
                : ["paid_tool_call", "tool_quote"].contains(tool) ? ["server_url": "https://x.example/mcp", "tool": "t"] : [:]
            replies.append(try await send(10 + i, "tools/call", ["name": .string(tool), "arguments": args]))
        }
        let budget = try await send(2, "resources/read", ["uri": "purse://budget"])
        try await h.finish()
        #expect(list["result"]?["tools"]?.arrayValue?.count == ToolCatalog.names.count)
        for reply in replies {
            let result = try #require(reply["result"])
            #expect(result["isError"] == true)
            let text = try #require(result["content"]?.arrayValue?[safe: 1]?["text"]?.stringValue)
            let json = try JSONValue.parse(text)
            #expect(json["error"]?["code"] == "key.not_configured" && json["error"]?["fix"] == .string(Self.advice.fix))
            #expect(result["content"]?.arrayValue?[safe: 0]?["text"]?.stringValue?.contains("purse keygen") == true)
        }
        let read = try #require(budget["result"]?["contents"]?.arrayValue?[safe: 0]?["text"]?.stringValue)
        #expect(try JSONValue.parse(read)["notConfigured"] == true)
        #expect(h.badLines.isEmpty)
    }
}

extension Array {
    /// The element at `i`, or nil.
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
