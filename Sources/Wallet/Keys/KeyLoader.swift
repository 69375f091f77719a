import EVM
import Foundation
import PurseCore

/// Finds the wallet's key: `PURSE_PRIVATE_KEY`, else the config's key file (mode 0600 or
/// stricter), else the config's V3 keystore with its password from a named variable or from
/// `key.passwordCommand`.
public enum KeyLoader {
    /// Where the key came from, for humans (never the key).
    public enum Source: Sendable, Equatable {
        case environment
        case file(String)
        case keystore(String)
    }

    /// Loads the key.
    ///
    /// - Throws: `KeyLoadError` (or the EVM layer's typed errors re-coded) with a clear reason:
    ///   no key configured, a file readable by others, a wrong keystore password, a malformed key.
    public static func load(config: PurseConfig, environment: [String: String]) throws(KeyLoadError) -> (PrivateKey, Source) {
        if let hex = environment["PURSE_PRIVATE_KEY"] {
            do { return (try PrivateKey(hex: hex.trimmingCharacters(in: .whitespacesAndNewlines)), .environment) } catch {
                throw KeyLoadError(error.code, "PURSE_PRIVATE_KEY: \(error.message)")
            }
        }
        switch config.key {
        case nil:
            throw KeyLoadError("key.not_configured", "no key: set PURSE_PRIVATE_KEY (0x + 64 hex), or name a key file or keystore in the config (\"key\": {\"file\": PATH} or {\"keystore\": PATH, \"passwordEnv\": NAME}); `purse init` sets one up, `purse keygen --out PATH` makes a keystore")
        case let .file(path):
            let text = try readPrivate(path, what: "key file")
            do { return (try PrivateKey(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)), .file(path)) } catch {
                throw KeyLoadError(error.code, "key file \(path): \(error.message)")
            }
        case let .keystore(path, source):
            let text = try readPrivate(path, what: "keystore", requireOwnerOnly: false)
            let password = try password(source, environment: environment)
            do { return (try Keystore.decrypt(json: Array(text.utf8), password: password), .keystore(path)) } catch {
                throw KeyLoadError(error.code, "keystore \(path): \(error.message)")
            }
        }
    }

    /// The keystore password from its configured source.
    ///
    /// - Throws: `key.password_missing` (the variable is not set), or `PasswordCommand`'s errors.
    public static func password(_ source: KeystorePassword, environment: [String: String]) throws(KeyLoadError) -> String {
        switch source {
        case let .environment(name):
            guard let password = environment[name] else {
                throw KeyLoadError("key.password_missing", "the keystore password variable \(name) is not set")
            }
            return password
        case let .command(argv, timeoutSeconds):
            return try PasswordCommand(argv: argv, timeoutSeconds: Double(timeoutSeconds)).run(environment: environment)
        }
    }

    /// Reads a small secret file, refusing one that group or others can read (key files only).
    static func readPrivate(_ path: String, what: String, requireOwnerOnly: Bool = true) throws(KeyLoadError) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { throw KeyLoadError("key.file_unreadable", "\(what) \(path) cannot be read (\(String(cString: strerror(errno))))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw KeyLoadError("key.file_unreadable", "\(what) \(path) is not a regular file") }
        if requireOwnerOnly, st.st_mode & 0o077 != 0 {
            throw KeyLoadError("key.file_permissions", "\(what) \(path) has mode \(String(st.st_mode & 0o777, radix: 8)); it must be 0600 or stricter (run: chmod 600 \(path))")
        }
        guard st.st_size <= 64 << 10, let data = FileManager.default.contents(atPath: path) else {
            throw KeyLoadError("key.file_unreadable", "\(what) \(path) cannot be read")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
