import Foundation
#if canImport(Darwin)
import Darwin
#endif

/// Where the running `purse` binary is, and whether another path is the same file.
///
/// `init` writes this absolute path into host configs (desktop hosts do not get the shell's
/// `PATH`); `doctor` compares registered commands and the `purse` on `PATH` against it.
public enum SelfExecutable {
    /// The absolute, symlink-free path of the running binary.
    public static var path: String {
        #if os(Linux)
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        #elseif canImport(Darwin)
        var size: UInt32 = 0
        _ = _NSGetExecutablePath(nil, &size)
        var buf = [CChar](repeating: 0, count: Int(size) + 1)
        if _NSGetExecutablePath(&buf, &size) == 0, let real = realpath(buf, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        #endif
        let arg0 = CommandLine.arguments.first ?? "purse"
        return URL(fileURLWithPath: arg0).resolvingSymlinksInPath().path
    }

    /// Whether `a` and `b` name the same file (same device and inode), following symlinks.
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat()
        var sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }
}
