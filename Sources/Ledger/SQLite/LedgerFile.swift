import Foundation
import GRDB

/// Checks and prepares the ledger file on disk before SQLite touches it.
///
/// Everything here only reads an existing file, so that a file which is not ours (a text file,
/// random bytes, a truncated database) is reported and left byte-for-byte unchanged. SQLite never
/// sees a file that fails these checks.
enum LedgerFile {
    /// The 16-byte magic string at the start of every SQLite 3 database.
    static let magic: [UInt8] = Array("SQLite format 3".utf8) + [0]

    /// Creates missing parent directories (0700) and the file (0600) or validates the existing file.
    ///
    /// - Returns: true when the file is new or empty (SQLite will initialize it).
    static func prepare(path: String) throws(LedgerError) -> Bool {
        guard !path.isEmpty else { throw .invalidArgument("the ledger path is empty") }
        let dir = (path as NSString).deletingLastPathComponent
        try ensureDirectory(dir.isEmpty ? "." : dir, for: path)

        var st = stat()
        if stat(path, &st) != 0 {
            let err = errno
            guard err == ENOENT else { throw .openFailed(path: path, reason: String(cString: strerror(err))) }
            let fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
            if fd >= 0 {
                _ = fchmod(fd, 0o600)
                close(fd)
                return true
            }
            let openErr = errno
            if openErr != EEXIST { throw classify(errno: openErr, path: path, what: "cannot create the file") }
            // Another process created it between our stat and open: validate theirs.
            guard stat(path, &st) == 0 else { throw .openFailed(path: path, reason: String(cString: strerror(errno))) }
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw .openFailed(path: path, reason: (st.st_mode & S_IFMT) == S_IFDIR ? "it is a directory" : "it is not a regular file")
        }
        // The owner-write bit is checked as well as access(2): running as root, access() says yes
        // to a file its owner made read-only, but that file is still meant to be read-only.
        if st.st_mode & S_IWUSR == 0 || access(path, W_OK) != 0 {
            throw .readOnly(path: path, detail: "the file is not writable")
        }
        if st.st_size == 0 {
            _ = chmod(path, 0o600)
            return true
        }
        try checkHeader(path: path, size: Int64(st.st_size))
        return false
    }

    /// Makes sure `dir` exists (creating missing levels with mode 0700) and is writable.
    private static func ensureDirectory(_ dir: String, for path: String) throws(LedgerError) {
        var st = stat()
        if stat(dir, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw .openFailed(path: path, reason: "\(dir) is not a directory")
            }
            if st.st_mode & S_IWUSR == 0 || access(dir, W_OK) != 0 {
                throw .readOnly(path: path, detail: "the directory \(dir) is not writable (SQLite needs it for the -wal and -shm files)")
            }
            return
        }
        guard errno == ENOENT else { throw classify(errno: errno, path: path, what: "cannot inspect \(dir)") }
        let parent = (dir as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != dir {
            var pst = stat()
            if stat(parent, &pst) != 0 { try ensureDirectory(parent, for: path) }
        }
        if mkdir(dir, 0o700) != 0, errno != EEXIST {
            throw classify(errno: errno, path: path, what: "cannot create the directory \(dir)")
        }
        _ = chmod(dir, 0o700)
    }

    private static func classify(errno err: Int32, path: String, what: String) -> LedgerError {
        let reason = "\(what): \(String(cString: strerror(err)))"
        switch err {
        case EACCES, EROFS, EPERM: return .readOnly(path: path, detail: reason)
        case ENOSPC: return .diskFull(path: path)
        default: return .openFailed(path: path, reason: reason)
        }
    }

    /// Reads the first 100 bytes and refuses anything that is not a whole SQLite 3 database.
    static func checkHeader(path: String, size: Int64) throws(LedgerError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw classify(errno: errno, path: path, what: "cannot read the file") }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 100)
        let n = header.withUnsafeMutableBytes { read(fd, $0.baseAddress, 100) }
        guard n >= 0 else { throw classify(errno: errno, path: path, what: "cannot read the file") }
        let got = Array(header[..<n])
        let prefix = min(got.count, 16)
        guard Array(got[..<prefix]) == Array(magic[..<prefix]) else {
            let printable = got.prefix(16).allSatisfy { $0 == 9 || $0 == 10 || $0 == 13 || (32..<127).contains($0) }
            throw .notADatabase(path: path, detail: printable ? "it starts with text, not the SQLite header" : "it has no SQLite header")
        }
        guard got.count == 100 else {
            throw .corrupt(path: path, detail: "truncated: \(size) bytes, shorter than the 100-byte SQLite header")
        }
        let pageSize = Self.pageSize(header: got)
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else {
            throw .corrupt(path: path, detail: "invalid page size \(pageSize) in the header")
        }
        // With a log that holds frames the main file may legitimately lag behind; SQLite checks
        // it then. A log without a header (the zeros a server lengthens it with,
        // `WALPreallocation`) holds none.
        if hasLogHeader(path: path + "-wal") { return }
        guard size % pageSize == 0 else {
            throw .corrupt(path: path, detail: "truncated: \(size) bytes is not a whole number of \(pageSize)-byte pages")
        }
        func be32(_ i: Int) -> Int64 {
            Int64(got[i]) << 24 | Int64(got[i + 1]) << 16 | Int64(got[i + 2]) << 8 | Int64(got[i + 3])
        }
        let pageCount = be32(28)
        if be32(24) == be32(92), pageCount > 0, pageCount * pageSize > size {
            throw .corrupt(path: path, detail: "truncated: \(size) bytes, the header says \(pageCount) pages of \(pageSize) bytes")
        }
    }

    /// The page size a database header names (bytes 16–17, big-endian; 1 stands for 65,536),
    /// not yet checked for validity; `header` holds at least the first 18 bytes.
    static func pageSize(header: [UInt8]) -> Int64 {
        let raw = Int64(header[16]) << 8 | Int64(header[17])
        return raw == 1 ? 65_536 : raw
    }

    /// Whether the write-ahead log at `path` starts with a log header (its magic number, either
    /// byte order), which every log that holds frames has.
    static func hasLogHeader(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4), head.count == 4 else { return false }
        let magic = UInt32(head[0]) << 24 | UInt32(head[1]) << 16 | UInt32(head[2]) << 8 | UInt32(head[3])
        return magic == 0x377F_0682 || magic == 0x377F_0683
    }

    /// The bytes `quick_check` reads: the database as its latest commit has it (its pages,
    /// wherever they are, in the file or in the write-ahead log), from SQLite's own count.
    ///
    /// Not the two files' sizes: a log lengthened ahead of its commits (`WALPreallocation`)
    /// holds 4 MiB of zeros that no check reads, and counting them sent every `purse serve`
    /// start's check to the background, where its own connection and thread stayed in the idle
    /// server's memory (1.5 MiB).
    static func imageBytes(_ db: Database) throws -> Int64 {
        let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
        let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
        return pages * pageSize
    }

    /// Makes the -wal and -shm files owner-only (SQLite copies the database file's mode; this
    /// also fixes files left by an older process with a looser umask).
    static func restrictCompanions(path: String) {
        for suffix in ["-wal", "-shm", "-journal", "-reserve.lock"] {
            var st = stat()
            if stat(path + suffix, &st) == 0, st.st_mode & 0o077 != 0 { _ = chmod(path + suffix, 0o600) }
        }
    }
}
