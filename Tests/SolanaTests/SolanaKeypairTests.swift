// Purse — Solana tests.

import PurseCore
import Testing

@testable import Solana

@Suite struct SolanaKeypairTests {
    static let v = TransferVector.all[0]
    static let secretBase58 = v.inputs.text("payerSecretKeyBase58")
    static let seed = v.inputs.hex("payerSeedHex")

    @Test func theSDKsKeyLoadsFromEveryForm() throws {
        let fromBase58 = try SolanaKeypair(base58Secret: Self.secretBase58)
        let fromSeed = try SolanaKeypair(seed: Self.seed)
        let fromSeedBase58 = try SolanaKeypair(base58Secret: Base58.encode(Self.seed))
        #expect(fromBase58.publicKey.base58 == Self.v.inputs.text("payer"))
        #expect(fromSeed.publicKey == fromBase58.publicKey)
        #expect(fromSeedBase58.publicKey == fromBase58.publicKey)
        // The CLI file form: the same 64 bytes as a JSON array.
        let secret = try Base58.decode(Self.secretBase58)
        let file = Array(("[" + secret.map(String.init).joined(separator: ", ") + "]\n").utf8)
        #expect(try SolanaKeypair(keypairFileContents: file).publicKey == fromBase58.publicKey)
        #expect(fromBase58.keypairFileContents() == Array(("[" + secret.map(String.init).joined(separator: ",") + "]").utf8))
        fromBase58.withUnsafeSecretKey { #expect($0 == secret) }
    }

    @Test func aPublicHalfThatDoesNotMatchIsRefused() throws {
        var secret = try Base58.decode(Self.secretBase58)
        secret[40] ^= 1
        #expect(throws: SolanaKeyError.publicKeyMismatch) { try SolanaKeypair(secretKey: secret) }
        #expect(throws: SolanaKeyError.publicKeyMismatch) { try SolanaKeypair(base58Secret: Base58.encode(secret)) }
        let file = Array(("[" + secret.map(String.init).joined(separator: ",") + "]").utf8)
        #expect(throws: SolanaKeyError.publicKeyMismatch) { try SolanaKeypair(keypairFileContents: file) }
        #expect(SolanaKeyError.publicKeyMismatch.code == "solana.key_mismatch")
    }

    @Test(arguments: [
        "", "{}", "[1,2,3]", "\"abc\"", "[" + String(repeating: "1,", count: 63) + "256]",
        "[" + String(repeating: "1,", count: 63) + "-1]", "[" + String(repeating: "1,", count: 63) + "1.0]",
        "[" + String(repeating: "1,", count: 63) + "1e0]", "[" + String(repeating: "1,", count: 63) + "\"1\"]",
        "[" + String(repeating: "1,", count: 64) + "1]", "[[" + String(repeating: "1,", count: 63) + "1]]",
    ])
    func malformedKeypairFilesAreRefused(text: String) {
        do {
            _ = try SolanaKeypair(keypairFileContents: Array(text.utf8))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.code == "solana.keypair_file_malformed")
        }
    }

    @Test func badBase58SecretsAreTypedAndSilent() {
        #expect(throws: SolanaKeyError.self) { try SolanaKeypair(base58Secret: "0OIl") }
        do { _ = try SolanaKeypair(base58Secret: "0" + Self.secretBase58) } catch {
            #expect(error.code == "solana.key_bad_base58")
            #expect(!error.message.contains(Self.secretBase58.prefix(12)))
        }
        #expect(throws: SolanaKeyError.badSecretLength(48)) { try SolanaKeypair(secretKey: [UInt8](repeating: 1, count: 48)) }
        #expect(throws: SolanaKeyError.badSecretLength(31)) { try SolanaKeypair(seed: [UInt8](repeating: 1, count: 31)) }
    }

    @Test func descriptionsNeverShowKeyMaterial() throws {
        let key = try SolanaKeypair(base58Secret: Self.secretBase58)
        let secretHex = Hex.encode(Self.seed, prefix: false)
        var dumped = ""
        dump(key, to: &dumped)
        for text in [key.description, key.debugDescription, String(describing: key), "\(key)", String(reflecting: key), dumped] {
            #expect(text.contains(key.publicKey.base58))
            #expect(!text.contains(Self.secretBase58))
            #expect(!text.contains(secretHex))
            #expect(!text.contains(Base58.encode(Self.seed)))
        }
    }

    @Test func generatedKeysAreFreshAndSign() throws {
        let a = SolanaKeypair.generate(), b = SolanaKeypair.generate()
        #expect(a.publicKey != b.publicKey)
        #expect(a.publicKey.isOnCurve)
        let message: [UInt8] = Array("purse".utf8)
        let signature = a.sign(message)
        #expect(a.publicKey.isValidSignature(signature, for: message))
        #expect(!b.publicKey.isValidSignature(signature, for: message))
        #expect(!a.publicKey.isValidSignature(signature, for: message + [0]))
        // Round trip through the CLI file form.
        #expect(try SolanaKeypair(keypairFileContents: a.keypairFileContents()).publicKey == a.publicKey)
    }

    @Test func publicKeysParseStrictly() throws {
        let key = try SolanaPublicKey(base58: "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU")
        #expect(key.base58 == "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU")
        #expect(throws: SolanaKeyError.self) { try SolanaPublicKey(base58: "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZ") }
        #expect(throws: SolanaKeyError.self) { try SolanaPublicKey(base58: "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDUU") }
        #expect(throws: SolanaKeyError.self) { try SolanaPublicKey(base58: "0x036CbD53842c5426634e7929541eC2318f3dCF7e") }
        #expect(throws: SolanaKeyError.self) { try SolanaPublicKey(bytes: [1, 2]) }
        #expect(SolanaPublicKey.tokenProgram < SolanaPublicKey.token2022Program || SolanaPublicKey.token2022Program < SolanaPublicKey.tokenProgram)
    }
}
