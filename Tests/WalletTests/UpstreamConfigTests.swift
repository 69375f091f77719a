import PurseCore
import Testing
@testable import Wallet

/// `upstreams` in the config file: names, the two transports, and what a child may not get.
@Suite struct UpstreamConfigTests {
    func parse(_ text: String) throws(ConfigError) -> PurseConfig { try PurseConfig.parse(Array(text.utf8)) }

    func expectError(_ upstreams: String, code: String, key: String) {
        do {
            _ = try parse(#"{"upstreams": "# + upstreams + "}")
            Issue.record("expected \(code) for \(upstreams)")
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(error.key == key, "\(error)")
        }
    }

    @Test func stdioAndHTTPUpstreamsParseInFileOrder() throws {
        let c = try parse(#"""
        {"upstreams": {
          "weather": {"command": "/usr/bin/python3", "args": ["server.py", "--x"], "env": {"API_KEY": "k", "LANG": "C"}},
          "search-2": {"url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer t"}}
        }}
        """#)
        #expect(c.upstreams.map(\.name) == ["weather", "search-2"])
        #expect(c.upstreams[0].transport == .stdio(command: "/usr/bin/python3", args: ["server.py", "--x"], env: ["API_KEY": "k", "LANG": "C"]))
        #expect(c.upstreams[1].transport == .http(url: "https://mcp.example.com/mcp", headers: [("Authorization", "Bearer t")]))
        #expect(c.upstreams[0].policyHost == "mcp:weather")
        #expect(try parse("{}").upstreams.isEmpty)
    }

    @Test(arguments: ["Weather", "1st", "has_underscore", "a b", "", String(repeating: "a", count: 33), "-x", "é"])
    func namesOutsideThePatternAreRefused(name: String) {
        expectError(#"{"\#(name)": {"url": "https://a.test/mcp"}}"#, code: "config.bad_value", key: "upstreams.\(name)")
    }

    @Test(arguments: ["a", "weather", "a-1", String(repeating: "z", count: 32)])
    func namesInsideThePatternAreAccepted(name: String) throws {
        #expect(try parse(#"{"upstreams": {"\#(name)": {"url": "https://a.test/mcp"}}}"#).upstreams.first?.name == name)
    }

    @Test func badUpstreamsNameTheKey() {
        expectError(#"{"w": {}}"#, code: "config.missing_key", key: "upstreams.w")
        expectError(#"{"w": {"command": "/bin/x", "url": "https://a.test/mcp"}}"#, code: "config.bad_value", key: "upstreams.w")
        expectError(#"{"w": {"command": "python3"}}"#, code: "config.bad_value", key: "upstreams.w.command")
        expectError(#"{"w": {"command": "/bin/x", "args": "a b"}}"#, code: "config.wrong_type", key: "upstreams.w.args")
        expectError(#"{"w": {"command": "/bin/x", "args": [1]}}"#, code: "config.wrong_type", key: "upstreams.w.args[0]")
        expectError(#"{"w": {"command": "/bin/x", "env": {"PURSE_PRIVATE_KEY": "0x1"}}}"#, code: "config.bad_value", key: "upstreams.w.env.PURSE_PRIVATE_KEY")
        expectError(#"{"w": {"command": "/bin/x", "env": {"purse_config": "/x"}}}"#, code: "config.bad_value", key: "upstreams.w.env.purse_config")
        expectError(#"{"w": {"command": "/bin/x", "env": {"1X": "a"}}}"#, code: "config.bad_value", key: "upstreams.w.env.1X")
        expectError(#"{"w": {"command": "/bin/x", "env": {"A": 1}}}"#, code: "config.wrong_type", key: "upstreams.w.env.A")
        expectError(#"{"w": {"command": "/bin/x", "cwd": "/"}}"#, code: "config.unknown_key", key: "upstreams.w.cwd")
        expectError(#"{"w": {"url": "ftp://a.test/mcp"}}"#, code: "config.bad_value", key: "upstreams.w.url")
        expectError(#"{"w": {"url": "https://a.test/mcp#x"}}"#, code: "config.bad_value", key: "upstreams.w.url")
        expectError(#"{"w": {"url": "https://a.test/mcp", "headers": {"Mcp-Session-Id": "x"}}}"#, code: "config.bad_value", key: "upstreams.w.headers.Mcp-Session-Id")
        expectError(#"{"w": {"url": "https://a.test/mcp", "headers": {"X-A": "a\nb"}}}"#, code: "config.wrong_type", key: "upstreams.w.headers.X-A")
        expectError(#"{"w": {"url": "https://a.test/mcp", "headers": {"bad header": "a"}}}"#, code: "config.bad_value", key: "upstreams.w.headers.bad header")
        expectError(#"[]"#, code: "config.wrong_type", key: "upstreams")
    }
}
