// Purse — SolanaRPC module (edge): the Solana CLI keypair file on disk.

import Foundation
import PurseCore
import Solana

/// Reading and writing a Solana CLI keypair file (`[n,n,…]`, the 64 secret-key bytes), the
/// file form of `key.solana.file` and of `purse keygen --solana --out PATH`.
///
/// The key is as valuable as the wallet, so the file must be the owner's alone: reading refuses
/// a file group or others can read, and writing creates a new file of mode 0600, never replacing
/// one (a mistyped path must not destroy the key of a funded wallet).
public enum SolanaKeyFile {
    /// Why a keypair file could not be read or written. Never carries key material.
    public struct Failure: CodedError, Equatable {
        /// The stable code: `key.file_unreadable`, `key.file_permissions`, `key.file_exists`,
        /// `key.file_unwritable`, or a `SolanaKeyError` code for bad contents.
        public let code: String
        /// A one-line explanation naming the path.
        public let message: String

        init(_ code: String, _ message: String) {
            self.code = code
            self.message = message
        }
    }

    /// The largest file read (a keypair file is under 300 bytes).
    static let maxBytes = 4096

    /// Reads the key in `path`.
    ///
    /// - Throws: `Failure` for a missing, non-regular, too large or group/other-readable file,
    ///   or contents that are not a valid keypair.
    public static func load(_ path: String) throws(Failure) -> SolanaKeypair {
        var st = stat()
        guard stat(path, &st) == 0 else { throw Failure("key.file_unreadable", "Solana keypair file \(path) cannot be read (\(String(cString: strerror(errno))))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw Failure("key.file_unreadable", "Solana keypair file \(path) is not a regular file") }
        guard st.st_mode & 0o077 == 0 else {
            throw Failure("key.file_permissions", "Solana keypair file \(path) has mode \(String(st.st_mode & 0o777, radix: 8)); it must be 0600 or stricter (run: chmod 600 \(path))")
        }
        guard st.st_size <= maxBytes, let data = FileManager.default.contents(atPath: path), data.count <= maxBytes else {
            throw Failure("key.file_unreadable", "Solana keypair file \(path) cannot be read or is over \(maxBytes) bytes")
        }
        do { return try SolanaKeypair(keypairFileContents: Array(data)) } catch {
            throw Failure(error.code, "Solana keypair file \(path): \(error.message)")
        }
    }

    /// Writes `keypair` to a new file at `path` with mode 0600.
    ///
    /// - Throws: `Failure` `key.file_exists` when anything is already at `path` (it is left as
    ///   it was), `key.file_unwritable` when the file cannot be created or fully written.
    public static func save(_ keypair: SolanaKeypair, to path: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw Failure("key.file_exists", "\(path) already exists; Purse never overwrites a key file") }
            throw Failure("key.file_unwritable", "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        // The umask may have cleared bits but never adds any; make the mode exact anyway.
        fchmod(fd, 0o600)
        let contents = keypair.keypairFileContents()
        let written = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == contents.count, fsync(fd) == 0 else {
            unlink(path)
            throw Failure("key.file_unwritable", "could not write \(path)")
        }
    }
}
