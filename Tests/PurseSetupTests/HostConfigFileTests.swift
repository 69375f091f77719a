import Foundation
import PurseCore
import PurseTesting
import Testing
@testable import PurseSetup

/// Registering in a host file on disk: other servers kept, a backup first, a second run changes
/// no byte, and broken or read-only files are refused untouched.
@Suite struct HostConfigFileTests {
    /// This test's directory, removed when the test ends.
    let scratch: ScratchDirectory
    var dir: String { scratch.path }
    let launch = ServerLaunch(command: "/opt/purse/bin/purse", configPath: "/home/me/.config/purse/config.json", passwordEnv: "PW")
    static let claudeDesktopFile = """
        {
          "mcpServers": {
            "weather": {
              "command": "uvx",
              "args": ["weather-mcp"],
              "env": {"API_KEY": "abc"}
            }
          },
          "globalShortcut": "Alt+Space"
        }

        """

    init() throws { scratch = try ScratchDirectory("purse-hosts") }

    func write(_ name: String, _ text: String, mode: mode_t = 0o644) throws -> String {
        let path = dir + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
        return path
    }

    func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }
    func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() }
    func mode(_ path: String) -> mode_t {
        var st = stat()
        stat(path, &st)
        return st.st_mode & 0o7777
    }

    @Test func addsPurseKeepsTheOtherServerBacksUpAndIsIdempotent() throws {
        let path = try write("claude_desktop_config.json", Self.claudeDesktopFile)
        let file = HostConfigFile(host: .claudeDesktop, path: path)
        let entry = launch.entry(for: .claudeDesktop, password: "pw")
        let now = Date(timeIntervalSince1970: 1_795_000_000)

        #expect(try file.preview(entry: entry) == .added(backup: "", otherServers: 1))
        #expect(bytes(path) == Array(Self.claudeDesktopFile.utf8), "preview writes nothing")

        let outcome = try file.register(entry: entry, secret: true, now: now)
        let backup = path + ".purse-backup-20261118T110640Z"
        #expect(outcome == .added(backup: backup, otherServers: 1))
        #expect(bytes(backup) == Array(Self.claudeDesktopFile.utf8))
        let doc = try JSONValue.parse(bytes(path))
        #expect(doc["mcpServers"]?["weather"] == (try JSONValue.parse(Self.claudeDesktopFile))["mcpServers"]?["weather"])
        #expect(doc["mcpServers"]?["purse"] == entry)
        #expect(doc["globalShortcut"] == "Alt+Space")
        #expect(mode(path) == 0o600, "the file now holds the keystore password")
        let text = String(decoding: bytes(path), as: UTF8.self)
        let weather = Self.claudeDesktopFile.range(of: "\"API_KEY\": \"abc\"}\n    }")!.upperBound
        #expect(text.hasPrefix(String(Self.claudeDesktopFile[..<weather])), "the other server's lines are byte-identical")

        // Second run: no write, no new backup, same bytes and mtime.
        let before = bytes(path)
        let listing = files()
        #expect(try file.register(entry: entry, secret: true, now: now.addingTimeInterval(60)) == .unchanged)
        #expect(bytes(path) == before)
        #expect(files() == listing)
        #expect(try file.registeredEntry() == entry)
    }

    @Test func aDifferentEntryIsUpdatedWithABackup() throws {
        let path = try write("mcp.json", #"{"mcpServers": {"purse": {"command": "/old/purse"}}}"#)
        let outcome = try HostConfigFile(host: .cursor, path: path).register(entry: launch.entry(for: .cursor, password: nil), secret: false, now: Date())
        guard case let .updated(backup, previous) = outcome else { Issue.record("\(outcome)"); return }
        #expect(previous == ["command": "/old/purse"])
        #expect(FileManager.default.fileExists(atPath: backup))
        #expect(mode(path) == 0o644, "no secret: the mode is kept")
    }

    @Test func aMissingFileIsCreatedWithItsDirectory() throws {
        let path = dir + "/Code/User/mcp.json"
        let entry = launch.entry(for: .vscode, password: "ignored")
        #expect(try HostConfigFile(host: .vscode, path: path).register(entry: entry, secret: false, now: Date()) == .created)
        let doc = try JSONValue.parse(bytes(path))
        #expect(doc["servers"]?["purse"]?["type"] == "stdio")
        #expect(doc["servers"]?["purse"]?["env"]?["PW"] == "${input:purse-password}")
        #expect(doc["inputs"]?.arrayValue?.first?["id"] == "purse-password")
        #expect(!String(decoding: bytes(path), as: UTF8.self).contains("ignored"), "VS Code never stores the password")
        #expect(mode(path) == 0o600)
    }

    @Test(arguments: ["{\"mcpServers\": {\"a\": {}},}", "{ // comment\n}", "{\"mcpServers\": [1]}", "\u{0}\u{1}binary", "[]"])
    func brokenFilesAreRefusedAndLeftByteIdentical(_ text: String) throws {
        let path = try write("claude_desktop_config.json", text)
        let listing = files()
        let error = #expect(throws: SetupError.self) {
            try HostConfigFile(host: .claudeDesktop, path: path).register(entry: launch.entry(for: .claudeDesktop, password: "pw"), secret: true, now: Date())
        }
        #expect(error?.code == "host.not_json" || error?.code == "host.bad_shape")
        #expect(bytes(path) == Array(text.utf8))
        #expect(files() == listing, "no backup, no temp file")
    }

    @Test func aReadOnlyFileIsRefused() throws {
        let path = try write("mcp.json", #"{"mcpServers": {}}"#, mode: 0o444)
        let error = #expect(throws: SetupError.self) {
            try HostConfigFile(host: .cursor, path: path).register(entry: launch.entry(for: .cursor, password: nil), secret: false, now: Date())
        }
        #expect(error?.code == "host.read_only")
        #expect(error?.message.contains("read-only") == true)
        #expect(bytes(path) == Array(#"{"mcpServers": {}}"#.utf8))
        #expect(mode(path) == 0o444)
    }

    @Test func aSymlinkedFileIsEditedAtItsTarget() throws {
        let real = try write("real.json", "{}\n")
        let link = dir + "/link.json"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.json")
        _ = try HostConfigFile(host: .cursor, path: link).register(entry: launch.entry(for: .cursor, password: nil), secret: false, now: Date())
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == "real.json")
        #expect(try JSONValue.parse(bytes(real))["mcpServers"]?["purse"] != nil)
    }

    @Test func noTemporaryFileIsLeftBehind() throws {
        let path = try write("mcp.json", "{}")
        _ = try HostConfigFile(host: .cursor, path: path).register(entry: launch.entry(for: .cursor, password: nil), secret: false, now: Date())
        #expect(!files().contains { $0.contains("purse-tmp") })
    }
}
