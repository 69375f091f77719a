import Foundation
import PurseCore

/// Registers Purse in a host's config file on disk: read, merge, back up, write atomically.
///
/// The rules, each for a reason:
/// - a file that is not strict JSON, or whose server list is not an object, is refused and not
///   touched (not even backed up): guessing at a broken file could lose the human's servers;
/// - a read-only file is refused with a clear error, although the rename would succeed in a
///   writable directory: read-only is the human's "do not edit";
/// - a symlinked file (dotfiles repositories) is edited at its target, so the link survives;
/// - the previous content is copied to a timestamped backup before anything is written;
/// - if the host application rewrote the file while Purse was working, nothing is written;
/// - an unchanged merge writes nothing at all, so a second `init` changes no byte.
public struct HostConfigFile: Sendable {
    /// What happened to the file.
    public enum Outcome: Sendable, Equatable {
        /// Purse was already registered exactly so; nothing was written.
        case unchanged
        /// The file did not exist and was created.
        case created
        /// Purse was added (backup path, number of other servers kept).
        case added(backup: String, otherServers: Int)
        /// An older `purse` entry was replaced (backup path, the entry it had).
        case updated(backup: String, previous: JSONValue)
    }

    /// The host.
    public let host: HostKind
    /// The file's path (as the host knows it; symlinks are followed when writing).
    public let path: String

    /// Creates a handle on `host`'s file at `path`.
    public init(host: HostKind, path: String) {
        self.host = host
        self.path = path
    }

    /// Registers `entry` as `purse`.
    ///
    /// - Parameters:
    ///   - secret: whether the entry holds the keystore password; the file is then made 0600
    ///     (new files are 0600 anyway).
    ///   - now: the backup's timestamp.
    /// - Throws: `host.not_json`, `host.bad_shape`, `host.read_only`, `host.changed_meanwhile`,
    ///   `file.unreadable`, `file.write_failed`.
    public func register(entry: JSONValue, secret: Bool, now: Date) throws(SetupError) -> Outcome {
        let (target, original, merged) = try prepare(entry)
        guard merged.changed else { return .unchanged }
        guard let existing = original else {
            try AtomicFile.ensureDirectory(AtomicFile.directory(of: target), mode: 0o700)
            try AtomicFile.write(merged.bytes, to: target, mode: 0o600, replace: false)
            return .created
        }
        let backup = try AtomicFile.backup(target, now: now)
        // The host may have rewritten its file meanwhile (Claude Desktop saves preferences there).
        guard FileManager.default.contents(atPath: target).map({ Array($0) }) == existing.bytes else {
            throw SetupError("host.changed_meanwhile", "\(path) changed while Purse was editing it (is \(host.displayName) running?); nothing was written. Run init again")
        }
        let mode = secret ? existing.mode & 0o700 : existing.mode & 0o7777
        try AtomicFile.write(merged.bytes, to: target, mode: mode, replace: true)
        if let previous = merged.previous { return .updated(backup: backup, previous: previous) }
        return .added(backup: backup, otherServers: merged.otherServers)
    }

    /// What `register` would do, without writing anything (backup paths are empty).
    ///
    /// - Throws: the same refusals as `register` (not JSON, bad shape, read-only).
    public func preview(entry: JSONValue) throws(SetupError) -> Outcome {
        let (_, original, merged) = try prepare(entry)
        guard merged.changed else { return .unchanged }
        guard original != nil else { return .created }
        if let previous = merged.previous { return .updated(backup: "", previous: previous) }
        return .added(backup: "", otherServers: merged.otherServers)
    }

    /// Reads and merges, and refuses a file that must not be edited.
    private func prepare(_ entry: JSONValue) throws(SetupError) -> (String, Existing?, HostRegistration.Result) {
        let target = Self.resolveLinks(path)
        let original = try read(target)
        let merged: HostRegistration.Result
        do {
            merged = try HostRegistration.merge(host: host, original: original?.bytes, entry: entry)
        } catch {
            throw Self.refusal(error, path: path, host: host)
        }
        if merged.changed, let existing = original {
            guard existing.mode & S_IWUSR != 0, access(target, W_OK) == 0 else {
                throw SetupError("host.read_only", "\(path) is read-only; Purse leaves it alone. Make it writable (chmod u+w) and run init again, or add the entry by hand (purse init --host none prints it)")
            }
            guard access(AtomicFile.directory(of: target), W_OK) == 0 else {
                throw SetupError("host.read_only", "the directory of \(path) is not writable, so the file cannot be replaced safely; add the entry by hand (purse init --host none prints it)")
            }
        }
        return (target, original, merged)
    }

    /// The `purse` entry this file registers, nil when the file or the entry is absent.
    ///
    /// - Throws: `host.not_json`, `host.bad_shape`, `file.unreadable`.
    public func registeredEntry() throws(SetupError) -> JSONValue? {
        guard let original = try read(Self.resolveLinks(path)) else { return nil }
        do { return try HostRegistration.registeredEntry(host: host, document: original.bytes) } catch {
            throw Self.refusal(error, path: path, host: host)
        }
    }

    // MARK: - Helpers

    private struct Existing {
        var bytes: [UInt8]
        var mode: mode_t
    }

    private func read(_ target: String) throws(SetupError) -> Existing? {
        var st = stat()
        guard stat(target, &st) == 0 else {
            if errno == ENOENT { return nil }
            throw SetupError("file.unreadable", "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw SetupError("file.unreadable", "\(path) is not a regular file") }
        guard let data = FileManager.default.contents(atPath: target) else { throw SetupError("file.unreadable", "cannot read \(path)") }
        return Existing(bytes: Array(data), mode: st.st_mode)
    }

    /// Follows symbolic links (relative ones against their directory), at most 32 deep.
    static func resolveLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<32 {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            current = target.hasPrefix("/") ? target : AtomicFile.directory(of: current) + "/" + target
        }
        return current
    }

    static func refusal(_ error: JSONEditError, path: String, host: HostKind) -> SetupError {
        switch error {
        case .notJSON, .rootNotObject, .unexpected:
            return SetupError("host.not_json", "\(path) is not usable JSON (\(error.message)); Purse left it untouched. Fix it, or add the entry by hand (purse init --host none prints it)")
        case .notAnObject, .notAnArray, .verificationFailed:
            return SetupError("host.bad_shape", "\(path): \(error.message); \(host.displayName) expects \"\(host.serversKey)\" to be an object of servers. Purse left it untouched")
        }
    }
}
