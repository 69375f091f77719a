// Purse — SolanaRPC tests.

import Foundation
import PurseTesting
import Solana
import Testing

@testable import SolanaRPC

@Suite struct SolanaKeyFileTests {
    /// This test's directory, removed when the test ends.
    let dir: ScratchDirectory

    init() throws { dir = try ScratchDirectory("purse-solana-keyfile") }

    func temporaryPath() -> String { dir.file("id.json") }

    @Test func aSavedKeyIsMode0600AndLoadsBack() throws {
        let path = temporaryPath()
        let key = SolanaKeypair.generate()
        try SolanaKeyFile.save(key, to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try SolanaKeyFile.load(path).publicKey == key.publicKey)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("[") && text.hasSuffix("]") && text.split(separator: ",").count == 64)
    }

    @Test func anExistingFileIsNeverOverwritten() throws {
        let path = temporaryPath()
        let first = SolanaKeypair.generate()
        try SolanaKeyFile.save(first, to: path)
        do {
            try SolanaKeyFile.save(SolanaKeypair.generate(), to: path)
            Issue.record("overwrote a key file")
        } catch {
            #expect(error.code == "key.file_exists")
        }
        #expect(try SolanaKeyFile.load(path).publicKey == first.publicKey)
        // A symlink at the path is not followed either.
        let link = path + ".link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path + ".target")
        #expect(throws: SolanaKeyFile.Failure.self) { try SolanaKeyFile.save(first, to: link) }
        #expect(!FileManager.default.fileExists(atPath: path + ".target"))
    }

    @Test func aFileOthersCanReadIsRefused() throws {
        let path = temporaryPath()
        try SolanaKeyFile.save(SolanaKeypair.generate(), to: path)
        chmod(path, 0o644)
        do {
            _ = try SolanaKeyFile.load(path)
            Issue.record("loaded a world-readable key file")
        } catch {
            #expect(error.code == "key.file_permissions")
            #expect(error.message.contains("chmod 600"))
        }
    }

    @Test func badContentsKeepTheirCodeAndNameThePath() throws {
        let path = temporaryPath()
        _ = FileManager.default.createFile(atPath: path, contents: Data("[1,2,3]".utf8), attributes: [.posixPermissions: 0o600])
        do {
            _ = try SolanaKeyFile.load(path)
            Issue.record("loaded a bad key file")
        } catch {
            #expect(error.code == "solana.keypair_file_malformed")
            #expect(error.message.contains(path))
        }
        #expect(throws: SolanaKeyFile.Failure.self) { try SolanaKeyFile.load(path + ".missing") }
        #expect(throws: SolanaKeyFile.Failure.self) { try SolanaKeyFile.load(NSTemporaryDirectory()) }
    }
}
