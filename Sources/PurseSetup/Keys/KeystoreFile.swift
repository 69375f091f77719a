import EVM
import Foundation
import PurseCore

/// Creates and opens V3 keystore files for `purse keygen` and `purse init`.
public enum KeystoreFile {
    /// Makes a new random key, encrypts it with `password`, and writes the keystore at `path`
    /// with mode 0600. An existing file is never replaced, and an interrupted write leaves no
    /// file (the bytes reach the final name in one `link(2)`).
    ///
    /// - Returns: the new key's address (the key itself never leaves this function).
    /// - Throws: `file.exists` (`Purse never overwrites a keystore`), `file.read_only`,
    ///   `file.write_failed`, `keystore.*` for bad KDF parameters, `init.password_needed` for an
    ///   empty password.
    public static func create(at path: String, password: String, kdf: Keystore.KDFParams) throws(SetupError) -> Address {
        guard !password.isEmpty else { throw SetupError("init.password_needed", "the keystore password must not be empty") }
        if access(path, F_OK) == 0 { throw exists(path) }
        let key = PrivateKey.random()
        let json: [UInt8]
        do { json = try Keystore.encrypt(key, password: password, kdf: kdf) } catch { throw SetupError(error.code, error.message) }
        do {
            try AtomicFile.write(json, to: path, mode: 0o600, replace: false)
        } catch where error.code == "file.exists" {
            throw exists(path)
        }
        return key.address
    }

    /// Opens the keystore at `path` with `password` and returns its address.
    ///
    /// - Throws: `file.unreadable`, or the keystore's own error (`keystore.wrong_password`, …).
    public static func address(at path: String, password: String) throws(SetupError) -> Address {
        guard let data = FileManager.default.contents(atPath: path) else { throw SetupError("file.unreadable", "cannot read the keystore \(path)") }
        do { return try Keystore.decrypt(json: Array(data), password: password).address } catch {
            throw SetupError(error.code, "keystore \(path): \(error.message)")
        }
    }

    /// The address a keystore file says it holds, read without the password (for display only:
    /// it is not checked against the encrypted key).
    public static func recordedAddress(at path: String) -> Address? {
        guard let data = FileManager.default.contents(atPath: path), let text = (try? JSONValue.parse(Array(data)))?["address"]?.stringValue else { return nil }
        return try? Address(parsing: text.hasPrefix("0x") ? text : "0x" + text)
    }

    private static func exists(_ path: String) -> SetupError {
        SetupError("file.exists", "\(path) already exists; Purse never overwrites a keystore")
    }
}
