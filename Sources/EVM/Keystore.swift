// Purse — EVM module.
// Ethereum Web3 Secret Storage V3 keystores, as geth and eth-account write them. No file IO:
// callers read and write the bytes.

import Crypto
import Foundation
import PurseCore
import _CryptoExtras

/// Encrypts and decrypts Ethereum Web3 Secret Storage (V3) keystore JSON.
///
/// Supports kdf `scrypt` and `pbkdf2` (prf `hmac-sha256`), cipher `aes-128-ctr`, and
/// MAC = keccak256(derivedKey[16..<32] ‖ ciphertext). Passwords are used as their UTF-8 bytes.
public enum Keystore {
    /// Decrypts a V3 keystore.
    ///
    /// The `crypto` member may be spelled with any case (geth's files once used `Crypto`).
    /// An IV shorter than 16 bytes is left-padded with zeros, as eth-account writes IVs whose
    /// first byte is zero without it. When the file has an `address`, the key must match it.
    /// - Parameters:
    ///   - json: the keystore file's bytes.
    ///   - password: the password; compared in constant time through the MAC.
    /// - Throws: `KeystoreError` — `.malformed`, `.unsupportedVersion`, `.unsupportedKDF`,
    ///   `.unsupportedCipher`, `.badKDFParams`, `.wrongPassword`, `.invalidKey` or `.addressMismatch`.
    public static func decrypt(json: [UInt8], password: String) throws(KeystoreError) -> PrivateKey {
        let root: JSONObject
        do {
            guard let object = try JSONValue.parse(json).objectValue else { throw KeystoreError.malformed(field: "the document") }
            root = object
        } catch {
            throw KeystoreError.malformed(field: "the document")
        }
        guard let version = root["version"] else { throw KeystoreError.malformed(field: "version") }
        guard version.int64Value == 3 else { throw KeystoreError.unsupportedVersion }

        let cryptoValue = root["crypto"] ?? root.members.first { $0.key.lowercased() == "crypto" }?.value
        guard let crypto = cryptoValue?.objectValue else { throw KeystoreError.malformed(field: "crypto") }

        guard let cipher = crypto["cipher"]?.stringValue else { throw KeystoreError.malformed(field: "crypto.cipher") }
        guard cipher == "aes-128-ctr" else { throw KeystoreError.unsupportedCipher }
        let iv = try hexField(crypto["cipherparams"]?["iv"], "crypto.cipherparams.iv", lengths: 1...16)
        let ciphertext = try hexField(crypto["ciphertext"], "crypto.ciphertext", lengths: 32...32)
        let mac = try hexField(crypto["mac"], "crypto.mac", lengths: 32...32)

        let (kdf, salt) = try readKDF(crypto)
        let derived = try deriveKey(password: Array(password.utf8), salt: salt, kdf: kdf)

        let expectedMAC = Keccak256.hash(derived[16..<32] + ciphertext)
        guard constantTimeEqual(expectedMAC, mac) else { throw KeystoreError.wrongPassword }

        let paddedIV = [UInt8](repeating: 0, count: 16 - iv.count) + iv
        let plain = try aesCTR(ciphertext, key: Array(derived[0..<16]), iv: paddedIV)
        let key: PrivateKey
        do {
            key = try PrivateKey(bytes: plain)
        } catch {
            throw KeystoreError.invalidKey
        }

        if let addressValue = root["address"], !addressValue.isNull {
            guard let text = addressValue.stringValue else { throw KeystoreError.malformed(field: "address") }
            let written = try hexField(.string(text), "address", lengths: 20...20)
            guard written == key.address.bytes else { throw KeystoreError.addressMismatch }
        }
        return key
    }

    /// Encrypts a key into V3 keystore JSON.
    ///
    /// The result holds `version` 3, a random UUID v4 `id`, the lower-case `address` without
    /// `0x`, and `crypto` with a fresh 32-byte salt and 16-byte IV.
    /// - Parameters:
    ///   - key: the key to protect.
    ///   - password: the password, used as UTF-8.
    ///   - kdf: the key derivation; tests use small costs, real keys the default.
    /// - Returns: compact JSON bytes, ready to write to a file.
    /// - Throws: `KeystoreError.badKDFParams` when `kdf` is outside the accepted bounds.
    public static func encrypt(_ key: PrivateKey, password: String, kdf: KDFParams = .scryptStandard) throws(KeystoreError) -> [UInt8] {
        try kdf.validate()
        let salt = randomBytes(32)
        let iv = randomBytes(16)
        let derived = try deriveKey(password: Array(password.utf8), salt: salt, kdf: kdf)
        let ciphertext = try key.withUnsafeKeyBytes { secret in
            Result { () throws(KeystoreError) -> [UInt8] in try aesCTR(secret, key: Array(derived[0..<16]), iv: iv) }
        }.get()
        let mac = Keccak256.hash(derived[16..<32] + ciphertext)

        let kdfName: String
        let kdfParams: JSONValue
        switch kdf {
        case let .scrypt(n, r, p):
            kdfName = "scrypt"
            kdfParams = ["dklen": 32, "n": .integer(n), "p": .integer(p), "r": .integer(r), "salt": .string(Hex.encode(salt, prefix: false))]
        case let .pbkdf2(iterations):
            kdfName = "pbkdf2"
            kdfParams = ["c": .integer(iterations), "dklen": 32, "prf": "hmac-sha256", "salt": .string(Hex.encode(salt, prefix: false))]
        }
        let document: JSONValue = [
            "address": .string(Hex.encode(key.address.bytes, prefix: false)),
            "crypto": [
                "cipher": "aes-128-ctr",
                "cipherparams": ["iv": .string(Hex.encode(iv, prefix: false))],
                "ciphertext": .string(Hex.encode(ciphertext, prefix: false)),
                "kdf": .string(kdfName),
                "kdfparams": kdfParams,
                "mac": .string(Hex.encode(mac, prefix: false)),
            ],
            "id": .string(UUID().uuidString.lowercased()),
            "version": 3,
        ]
        return document.encodedBytes()
    }

    // MARK: - Reading fields

    /// Decodes a hex string field (with or without `0x`) whose byte length must lie in `lengths`.
    private static func hexField(_ value: JSONValue?, _ field: String, lengths: ClosedRange<Int>) throws(KeystoreError) -> [UInt8] {
        guard let text = value?.stringValue, let bytes = try? Hex.decode(text), lengths.contains(bytes.count) else {
            throw KeystoreError.malformed(field: field)
        }
        return bytes
    }

    /// Reads an integer field of `kdfparams`.
    private static func intField(_ params: JSONObject, _ name: String) throws(KeystoreError) -> Int {
        guard let value = params[name]?.int64Value, let int = Int(exactly: value) else {
            throw KeystoreError.malformed(field: "crypto.kdfparams.\(name)")
        }
        return int
    }

    /// Reads and bounds-checks `kdf` and `kdfparams`, returning the parameters and the salt.
    private static func readKDF(_ crypto: JSONObject) throws(KeystoreError) -> (KDFParams, [UInt8]) {
        guard let name = crypto["kdf"]?.stringValue else { throw KeystoreError.malformed(field: "crypto.kdf") }
        guard name == "scrypt" || name == "pbkdf2" else { throw KeystoreError.unsupportedKDF }
        guard let params = crypto["kdfparams"]?.objectValue else { throw KeystoreError.malformed(field: "crypto.kdfparams") }
        guard try intField(params, "dklen") == 32 else { throw KeystoreError.badKDFParams(reason: "dklen must be 32") }
        let salt = try hexField(params["salt"], "crypto.kdfparams.salt", lengths: 1...1024)
        let kdf: KDFParams
        if name == "scrypt" {
            kdf = .scrypt(n: try intField(params, "n"), r: try intField(params, "r"), p: try intField(params, "p"))
        } else {
            guard let prf = params["prf"]?.stringValue else { throw KeystoreError.malformed(field: "crypto.kdfparams.prf") }
            guard prf == "hmac-sha256" else { throw KeystoreError.unsupportedKDF }
            kdf = .pbkdf2(iterations: try intField(params, "c"))
        }
        try kdf.validate()
        return (kdf, salt)
    }

    // MARK: - Primitives

    /// Runs the KDF, giving a 32-byte derived key.
    private static func deriveKey(password: [UInt8], salt: [UInt8], kdf: KDFParams) throws(KeystoreError) -> [UInt8] {
        do {
            let key: SymmetricKey
            switch kdf {
            case let .scrypt(n, r, p):
                key = try KDF.Scrypt.deriveKey(from: password, salt: salt, outputByteCount: 32, rounds: n, blockSize: r, parallelism: p)
            case let .pbkdf2(iterations):
                key = try KDF.Insecure.PBKDF2.deriveKey(
                    from: password, salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: iterations)
            }
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw KeystoreError.cryptoFailure
        }
    }

    /// AES-128 in CTR mode with a full 16-byte big-endian initial counter block (encrypts and decrypts).
    private static func aesCTR(_ input: [UInt8], key: [UInt8], iv: [UInt8]) throws(KeystoreError) -> [UInt8] {
        do {
            let nonce = try AES._CTR.Nonce(nonceBytes: iv)
            return Array(try AES._CTR.encrypt(input, using: SymmetricKey(data: key), nonce: nonce))
        } catch {
            throw KeystoreError.cryptoFailure
        }
    }

    /// Compares two byte strings without an early exit, so timing does not reveal where they differ.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    /// Bytes from the system's cryptographically secure random generator.
    private static func randomBytes(_ count: Int) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { _ in rng.next() as UInt8 }
    }
}
