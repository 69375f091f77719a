import EVM
import Foundation
import PurseCore
import PurseTesting
import Testing
@testable import Wallet

/// Where the key comes from, and every way loading it can fail without leaking it.
@Suite struct KeyLoaderTests {
    static let keyHex = WalletFixture.payerKeyHex
    /// The key files, removed when the test ends.
    let dir: ScratchDirectory

    init() throws { dir = try ScratchDirectory("purse-keys") }

    func write(_ name: String, _ text: String, mode: mode_t) throws -> String {
        let path = dir.file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, mode)
        return path
    }

    func config(_ key: KeyConfig?) -> PurseConfig {
        var c = PurseConfig()
        c.key = key
        return c
    }

    func loadError(_ config: PurseConfig, _ env: [String: String] = [:]) -> KeyLoadError? {
        do { _ = try KeyLoader.load(config: config, environment: env); return nil } catch { return error }
    }

    @Test func environmentWinsOverTheConfig() throws {
        let path = try write("k", Self.keyHex, mode: 0o600)
        let (key, source) = try KeyLoader.load(config: config(.file(path)), environment: ["PURSE_PRIVATE_KEY": " \(Self.keyHex)\n"])
        #expect(source == .environment && key.address == WalletFixture.payerAddress)
    }

    @Test func fileMustBeOwnerOnly() throws {
        let path = try write("k", Self.keyHex + "\n", mode: 0o600)
        let (key, source) = try KeyLoader.load(config: config(.file(path)), environment: [:])
        #expect(source == .file(path) && key.address == WalletFixture.payerAddress)
        chmod(path, 0o644)
        let e = loadError(config(.file(path)))
        #expect(e?.code == "key.file_permissions" && e?.message.contains("chmod 600") == true)
    }

    @Test func keystoreNeedsItsPasswordVariable() throws {
        let key = try PrivateKey(hex: Self.keyHex)
        let json = try Keystore.encrypt(key, password: "pw", kdf: .pbkdf2(iterations: 1_000))
        let path = try write("ks.json", String(decoding: json, as: UTF8.self), mode: 0o600)
        let c = config(.keystore(path: path, passwordEnv: "PW"))
        let (loaded, source) = try KeyLoader.load(config: c, environment: ["PW": "pw"])
        #expect(loaded.address == key.address && source == .keystore(path))
        #expect(loadError(c)?.code == "key.password_missing")
        #expect(loadError(c, ["PW": "wrong"])?.code.hasPrefix("keystore.") == true)
    }

    @Test(arguments: ["nothing", "missing", "malformed-env", "malformed-file", "directory"])
    func failuresAreCodedAndNeverEchoTheKey(_ kind: String) throws {
        let secret = "0x" + String(repeating: "7", count: 63) + "g"  // one bad digit: not a key, still secret-shaped
        let e: KeyLoadError?
        switch kind {
        case "nothing": e = loadError(config(nil))
        case "missing": e = loadError(config(.file(dir.file("absent"))))
        case "malformed-env": e = loadError(config(nil), ["PURSE_PRIVATE_KEY": secret])
        case "malformed-file": e = loadError(config(.file(try write("bad", secret, mode: 0o600))))
        default: e = loadError(config(.file(dir.path)))
        }
        let error = try #require(e)
        #expect(!error.code.isEmpty)
        #expect(!error.message.contains(String(secret.dropFirst(2).prefix(20))))
        if kind == "nothing" { #expect(error.code == "key.not_configured" && error.message.contains("purse keygen")) }
        if kind == "missing" || kind == "directory" { #expect(error.code == "key.file_unreadable") }
    }
}
