import Foundation
import PurseCore

/// One 4 KiB write and `fdatasync` on a file beside the ledger: the cost of the one durable
/// commit a payment must make before it signs (SQLite syncs its WAL with fdatasync).
struct FsyncProbe {
    private let fd: Int32
    private let path: String

    init(directory: String) throws {
        path = directory + "/fsync-probe"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PurseError("bench.fsync", "cannot open \(path): \(String(cString: strerror(errno)))") }
    }

    /// Rewrites the same page and syncs it; returns the milliseconds taken.
    func once() throws -> Double {
        var page = [UInt8](repeating: 0x5a, count: 4096)
        let t0 = nowMs()
        let n = page.withUnsafeMutableBytes { pwrite(fd, $0.baseAddress, 4096, 0) }
        guard n == 4096, fdatasync(fd) == 0 else { throw PurseError("bench.fsync", "write or fdatasync failed: \(String(cString: strerror(errno)))") }
        return nowMs() - t0
    }

    /// Closes and deletes the file.
    func remove() {
        close(fd)
        unlink(path)
    }
}
