import Foundation

/// Writes files so that an interrupted `purse init` leaves each one either complete or absent,
/// and never half-written: the bytes go to a temporary file in the same directory, are synced,
/// then take the final name in one `rename(2)` (or `link(2)`, which also refuses to replace an
/// existing file), and the directory is synced.
public enum AtomicFile {
    /// Writes `bytes` at `path` with `mode`.
    ///
    /// - Parameters:
    ///   - replace: whether an existing file may be replaced; when false an existing file (even
    ///     one that appears while writing) makes this throw `file.exists` and stays untouched.
    /// - Throws: `file.exists`, `file.read_only` (the directory cannot be written),
    ///   `file.write_failed`.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t, replace: Bool) throws(SetupError) {
        let dir = directory(of: path)
        removeStaleTemporaries(in: dir)
        let temp = dir + "/." + (path as NSString).lastPathComponent + marker + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(errno, path, "cannot create a file in \(dir)") }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        let written = bytes.withUnsafeBytes { writeAll(fd, $0) }
        let saved = errno
        guard written, fchmod(fd, mode) == 0, fsync(fd) == 0 else {
            close(fd)
            throw failure(written ? errno : saved, path, "cannot write \(temp)")
        }
        close(fd)
        FaultPoint.reached("atomic-write")
        if replace {
            guard rename(temp, path) == 0 else { throw failure(errno, path, "cannot rename the new file into place") }
        } else if link(temp, path) == 0 {
            unlink(temp)
        } else {
            let err = errno
            if err == EEXIST { throw SetupError("file.exists", "\(path) already exists; Purse does not replace it") }
            // File systems without hard links: rename, after making sure nothing is there.
            guard err == EPERM || err == ENOTSUP || err == EOPNOTSUPP || err == EMLINK, access(path, F_OK) != 0, rename(temp, path) == 0 else {
                throw failure(err, path, "cannot move the new file into place")
            }
        }
        ok = true
        syncDirectory(dir)
        FaultPoint.reached("after-write")
    }

    /// What names a temporary file: `.<target>.purse-tmp-<pid>-<random>`.
    static let marker = ".purse-tmp-"

    /// Deletes temporary files in `dir` left by a process that no longer runs (one killed
    /// between writing and renaming); a live writer's file is left alone.
    static func removeStaleTemporaries(in dir: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(".") {
            guard let range = name.range(of: marker), let pid = Int32(name[range.upperBound...].prefix { $0 != "-" }), pid > 0 else { continue }
            if pid != getpid(), kill(pid, 0) != 0, errno == ESRCH { unlink(dir + "/" + name) }
        }
    }

    /// Copies `path` next to itself as `path.purse-backup-YYYYMMDDTHHMMSSZ` (mode 0600, never
    /// replacing an earlier backup), synced before it returns.
    ///
    /// - Returns: the backup's path.
    /// - Throws: `file.unreadable`, `file.read_only`, `file.write_failed`.
    public static func backup(_ path: String, now: Date) throws(SetupError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SetupError("file.unreadable", "cannot read \(path) to back it up")
        }
        let stamp = backupStamp(now)
        var attempt = 0
        while true {
            let candidate = path + ".purse-backup-" + stamp + (attempt == 0 ? "" : "-\(attempt)")
            do {
                try write(Array(data), to: candidate, mode: 0o600, replace: false)
                return candidate
            } catch where error.code == "file.exists" && attempt < 100 {
                attempt += 1
            }
        }
    }

    /// `20261122T101500Z`: sortable, UTC, no characters that need quoting in a shell.
    static func backupStamp(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// Creates `dir` and its missing parents with `mode` (existing ones are left as they are).
    ///
    /// - Throws: `file.read_only` or `file.write_failed`.
    public static func ensureDirectory(_ dir: String, mode: mode_t) throws(SetupError) {
        var st = stat()
        if stat(dir, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw SetupError("file.write_failed", "\(dir) is not a directory") }
            return
        }
        let parent = (dir as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != dir { try ensureDirectory(parent, mode: mode) }
        if mkdir(dir, mode) != 0, errno != EEXIST { throw failure(errno, dir, "cannot create the directory \(dir)") }
    }

    /// The directory part of `path` (`.` for a bare name).
    public static func directory(of path: String) -> String {
        let dir = (path as NSString).deletingLastPathComponent
        return dir.isEmpty ? "." : dir
    }

    private static func syncDirectory(_ dir: String) {
        let fd = open(dir, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    private static func failure(_ err: Int32, _ path: String, _ what: String) -> SetupError {
        let reason = "\(what): \(String(cString: strerror(err)))"
        switch err {
        case EACCES, EROFS, EPERM: return SetupError("file.read_only", "\(path) cannot be written (\(reason))")
        default: return SetupError("file.write_failed", "\(path) could not be written (\(reason))")
        }
    }
}

/// Writes all of `buf` to `fd`, retrying short writes and EINTR (a file-scope function, so that
/// `write` here is the system call and not `AtomicFile.write`).
private func writeAll(_ fd: Int32, _ buf: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < buf.count {
        let n = write(fd, buf.baseAddress! + offset, buf.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return false
        }
        offset += n
    }
    return true
}
