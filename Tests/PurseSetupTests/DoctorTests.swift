import EVM
import Foundation
import HTTP
import PurseCore
import PurseTesting
import Testing
@testable import PurseSetup

/// `purse doctor` over a temporary home, a fake chain node and a real ledger: each check's
/// verdict and fix, and "ok" only when everything a payment needs passed.
@Suite struct DoctorTests {
    static let token = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
    static let keyHex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    static let address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"

    /// The temporary home, removed when the test ends.
    let scratch: ScratchDirectory
    var home: String { scratch.path }
    let selfPath: String

    init() throws {
        scratch = try ScratchDirectory("purse-doctor")
        try FileManager.default.createDirectory(atPath: scratch.file("bin"), withIntermediateDirectories: true)
        selfPath = scratch.file("bin/purse")
        try Data("#!/bin/sh\n".utf8).write(to: URL(fileURLWithPath: selfPath))
        chmod(selfPath, 0o755)
    }

    /// Writes a keystore (mode `mode`) and a config naming it, the fake node's URL and its token.
    func setUp(mode: mode_t = 0o600, extraConfig: String = "") throws -> String {
        let ks = home + "/keystore.json"
        let json = try Keystore.encrypt(try PrivateKey(hex: Self.keyHex), password: "pw", kdf: .pbkdf2(iterations: 1_000))
        try Data(json).write(to: URL(fileURLWithPath: ks))
        chmod(ks, mode)
        let config = home + "/config.json"
        let text = #"{"key": {"keystore": "\#(ks)", "passwordEnv": "PW"}, "networks": {"eip155:84532": {"rpcUrl": "http://node.test", "assets": [{"address": "\#(Self.token)", "name": "USDC", "version": "2", "decimals": 6}]}}, "policy": {"allowAssets": ["\#(Self.token)"]}\#(extraConfig)}"#
        try Data(text.utf8).write(to: URL(fileURLWithPath: config))
        return config
    }

    /// A node on chain `chain` whose `balanceOf` answers `balance` (atomic units).
    func node(chain: UInt64 = 84532, balance: UInt64 = 12_500_000) -> InMemoryHTTPClient {
        InMemoryHTTPClient { request throws(HTTPError) in
            let call = (try? JSONValue.parse(request.body ?? [])) ?? .null
            let result: String = call["method"]?.stringValue == "eth_chainId"
                ? "0x" + String(chain, radix: 16)
                : "0x" + String(repeating: "0", count: 64 - String(balance, radix: 16).count) + String(balance, radix: 16)
            let body = #"{"jsonrpc":"2.0","id":\#(call["id"]?.encoded() ?? "1"),"result":"\#(result)"}"#
            return HTTPResponse(status: 200, body: Array(body.utf8), effectiveURL: request.url)
        }
    }

    func doctor(_ config: String, http: any HTTPClient, env: [String: String] = ["PW": "pw"]) -> Doctor {
        Doctor(configPath: config, configExplicit: true, dbPath: home + "/purse.db", environment: env.merging(["PATH": home + "/bin"]) { a, _ in a },
               home: home, platform: .linux, selfPath: selfPath, http: http)
    }

    func registerInClaudeDesktop(command: String, config: String) throws {
        let path = HostKind.claudeDesktop.configPath(platform: .linux, home: home, environment: [:])
        let entry = ServerLaunch(command: command, configPath: config, passwordEnv: "PW").entry(for: .claudeDesktop, password: "pw")
        _ = try HostConfigFile(host: .claudeDesktop, path: path).register(entry: entry, secret: true, now: Date())
    }

    @Test func everythingReadyPasses() async throws {
        let config = try setUp()
        try registerInClaudeDesktop(command: selfPath, config: config)
        let report = await doctor(config, http: node()).run()
        #expect(report.ok, "\(report.text)")
        #expect(report.address == Self.address)
        #expect(report.check("config")?.status == .ok)
        #expect(report.check("key")?.detail.contains(Self.address) == true)
        #expect(report.check("keystore_mode")?.status == .ok)
        #expect(report.check("network.eip155:84532")?.status == .ok)
        #expect(report.check("balance.eip155:84532.\(Self.token.lowercased())")?.detail.hasPrefix("12.5") == true)
        #expect(report.check("funds")?.status == .ok)
        let ledger = try #require(report.check("ledger"))
        #expect(ledger.status == .ok && ledger.detail.contains("sqlite schema v") && ledger.detail.hasSuffix("integrity ok, writable"), "\(ledger)")
        #expect(report.check("host.claude-desktop")?.status == .ok)
        #expect(report.check("host.cursor")?.status == .skip)
        #expect(report.check("path")?.status == .ok, "the fake PATH holds this binary")
        #expect(report.text.contains("✓ config"))
        #expect(report.text.hasSuffix("Everything a payment needs is ready.\n"))
        #expect(!report.text.contains("ac0974bec39a17e3"), "never the key")
        #expect(report.json["ok"] == true)
        #expect(report.json["checks"]?.arrayValue?.count == report.checks.count)
    }

    @Test func aDeadRPCFailsWithAFix() async throws {
        let config = try setUp()
        let down = InMemoryHTTPClient { _ throws(HTTPError) in throw HTTPError(.connectFailed, "connection refused", requestMayHaveBeenSent: false) }
        let report = await doctor(config, http: down).run()
        #expect(!report.ok)
        let net = try #require(report.check("network.eip155:84532"))
        #expect(net.status == .fail && net.detail.contains("does not answer") && net.fix?.contains("rpcUrl") == true)
        #expect(report.check("funds")?.status == .skip)
        #expect(report.text.contains("✗ network"))
        #expect(report.text.contains("fix: check networks.eip155:84532.rpcUrl"))
    }

    @Test func theWrongChainFails() async throws {
        let report = await doctor(try setUp(), http: node(chain: 1)).run()
        #expect(report.check("network.eip155:84532")?.status == .fail)
        #expect(report.check("network.eip155:84532")?.detail.contains("serves chain 1") == true)
    }

    @Test func noFundsAndALooseKeystoreFail() async throws {
        let config = try setUp(mode: 0o644)
        let report = await doctor(config, http: node(balance: 0)).run()
        #expect(!report.ok)
        #expect(report.check("keystore_mode")?.status == .fail)
        #expect(report.check("keystore_mode")?.fix?.hasPrefix("chmod 600") == true)
        #expect(report.check("funds")?.status == .fail)
        #expect(report.check("funds")?.fix?.contains("faucet.circle.com") == true)
    }

    @Test func theKeyFailureSaysWhatToDo() async throws {
        let config = try setUp()
        let report = await doctor(config, http: node(), env: [:]).run()
        let key = try #require(report.check("key"))
        #expect(key.status == .fail && key.detail.contains("key.password_missing") && key.fix?.contains("export PW") == true)
        #expect(report.check("funds")?.status == .skip)
    }

    @Test func aBrokenConfigStopsTheWalletChecks() async throws {
        let config = home + "/bad.json"
        try Data(#"{"policy": {"maxPerRequest": 1}}"#.utf8).write(to: URL(fileURLWithPath: config))
        let report = await doctor(config, http: node()).run()
        #expect(!report.ok)
        #expect(report.check("config")?.detail.contains("policy.maxPerRequest") == true)
        #expect(report.check("key") == nil && report.check("ledger") == nil)
        #expect(report.check("path") != nil, "host and PATH checks still run")
    }

    @Test func hostRegistrationsAreJudged() async throws {
        let config = try setUp()
        try registerInClaudeDesktop(command: home + "/gone/purse", config: config)
        let cursor = HostKind.cursor.configPath(platform: .linux, home: home, environment: [:])
        let other = home + "/other-purse"
        try Data("#!/bin/sh\n".utf8).write(to: URL(fileURLWithPath: other))
        chmod(other, 0o755)
        _ = try HostConfigFile(host: .cursor, path: cursor).register(
            entry: ServerLaunch(command: other, configPath: config, passwordEnv: "PW").entry(for: .cursor, password: "pw"), secret: true, now: Date())
        let vscode = HostKind.vscode.configPath(platform: .linux, home: home, environment: [:])
        try FileManager.default.createDirectory(atPath: AtomicFile.directory(of: vscode), withIntermediateDirectories: true)
        try Data("{ // jsonc\n}".utf8).write(to: URL(fileURLWithPath: vscode))
        let report = await doctor(config, http: node()).run()
        #expect(report.check("host.claude-desktop")?.status == .fail, "the registered binary is gone")
        #expect(report.check("host.cursor")?.status == .warn, "another binary")
        #expect(report.check("host.vscode")?.status == .warn, "unreadable file")
        #expect(report.check("host.claude-code")?.status == .skip)
    }

    @Test func aHostThatDoesNotPassThePasswordIsFlagged() async throws {
        let config = try setUp()
        let path = HostKind.claudeDesktop.configPath(platform: .linux, home: home, environment: [:])
        let entry = ServerLaunch(command: selfPath, configPath: config).entry(for: .claudeDesktop, password: nil)
        _ = try HostConfigFile(host: .claudeDesktop, path: path).register(entry: entry, secret: false, now: Date())
        let report = await doctor(config, http: node()).run()
        #expect(report.check("host.claude-desktop")?.status == .warn)
        #expect(report.check("host.claude-desktop")?.detail.contains("does not pass PW") == true)
    }
}
