// Purse — EVM tests.
// Cross-checks against Python eth-account, an implementation Purse shares no code with.
// Run with PURSE_TEST_PYTHON=/path/to/venv/bin/python (the test venv pins eth-account in
// examples/local-world/requirements.txt).

import Foundation
import PurseCore
import Testing

@testable import EVM

@Suite(.enabled(if: ProcessInfo.processInfo.environment["PURSE_TEST_PYTHON"] != nil, "set PURSE_TEST_PYTHON to a Python with eth-account"))
struct EthAccountOracleTests {
    @Test func oracleIsThePinnedEthAccount() async throws {
        let reply = try await PythonOracle.run("version", [:])
        let version = try #require(reply["eth_account"]?.stringValue)
        let requirements = try String(contentsOf: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().appendingPathComponent("../../examples/local-world/requirements.txt"), encoding: .utf8)
        #expect(requirements.contains("eth-account==\(version)"), "the oracle runs eth-account \(version), not the pinned one")
    }

    static func randomAddress() -> Address {
        var rng = SystemRandomNumberGenerator()
        return try! Address(bytes: (0..<20).map { _ in rng.next() as UInt8 })
    }

    static func randomUInt256() -> UInt256 {
        var rng = SystemRandomNumberGenerator()
        // Mix small, 64-bit and full-width values so every limb of the encoding is exercised.
        switch rng.next() % 3 {
        case 0: return UInt256(rng.next() % 1_000_000)
        case 1: return UInt256(rng.next() as UInt64)
        default: return UInt256(bytes32: (0..<32).map { _ in rng.next() as UInt8 })
        }
    }

    @Test(arguments: 0..<8)
    func ethAccountRecoversPurseSignatures(round: Int) async throws {
        var rng = SystemRandomNumberGenerator()
        let key = PrivateKey.random()
        let domain = EIP712Domain(
            name: ["USD Coin", "USDC", "Purse Test Token ✓"][round % 3], version: String(rng.next() % 5 + 1),
            chainId: [1, 8453, 84532, 31337, UInt64.max][round % 5], verifyingContract: Self.randomAddress())
        let message = TransferWithAuthorization(
            from: key.address, to: Self.randomAddress(), value: Self.randomUInt256(),
            validAfter: Self.randomUInt256(), validBefore: Self.randomUInt256(),
            nonce: (0..<32).map { _ in UInt8.random(in: 0...255) })
        let signature = message.sign(domain: domain, with: key)

        let reply = try await PythonOracle.run("recover", [
            "domain": [
                "name": .string(domain.name), "version": .string(domain.version),
                "chainId": .string(String(domain.chainId)), "verifyingContract": .string(domain.verifyingContract.checksummed),
            ],
            "message": [
                "from": .string(message.from.checksummed), "to": .string(message.to.checksummed),
                "value": .string(message.value.decimalString), "validAfter": .string(message.validAfter.decimalString),
                "validBefore": .string(message.validBefore.decimalString), "nonce": .string(Hex.encode(message.nonce)),
            ],
            "signature": .string(signature.hex),
            "key": .string(key.withUnsafeKeyBytes { Hex.encode($0) }),
        ])
        #expect(reply["address"]?.stringValue == key.address.checksummed)
        #expect(reply["digest"]?.stringValue == Hex.encode(message.digest(domain: domain)))
        // Both sides use RFC 6979, so eth-account's own signature must be byte-identical.
        #expect(reply["signature"]?.stringValue == signature.hex)
    }

    @Test(arguments: [("scrypt", 1024), ("pbkdf2", 1000)])
    func ethAccountKeystoresDecryptInPurse(kdf: String, iterations: Int) async throws {
        let key = PrivateKey.random()
        for password in ["correct horse battery staple", "pässwörd 🔑", ""] {
            let reply = try await PythonOracle.run("encrypt", [
                "key": .string(key.withUnsafeKeyBytes { Hex.encode($0) }), "password": .string(password),
                "kdf": .string(kdf), "iterations": .integer(iterations),
            ])
            let keystore = try #require(reply["keystore"])
            #expect(keystore["crypto"]?["kdf"]?.stringValue == kdf)
            let decrypted = try Keystore.decrypt(json: keystore.encodedBytes(), password: password)
            #expect(decrypted.address == key.address)
            #expect(throws: KeystoreError.wrongPassword) { try Keystore.decrypt(json: keystore.encodedBytes(), password: password + "?") }
        }
    }

    @Test(arguments: [Keystore.KDFParams.scrypt(n: 1024, r: 8, p: 1), .scrypt(n: 16, r: 1, p: 4), .pbkdf2(iterations: 1000)])
    func purseKeystoresDecryptInEthAccount(kdf: Keystore.KDFParams) async throws {
        let key = PrivateKey.random()
        for password in ["correct horse battery staple", "pässwörd 🔑"] {
            let json = try Keystore.encrypt(key, password: password, kdf: kdf)
            let reply = try await PythonOracle.run("decrypt", ["keystore": try JSONValue.parse(json), "password": .string(password)])
            #expect(reply["address"]?.stringValue == key.address.checksummed)
        }
    }
}
