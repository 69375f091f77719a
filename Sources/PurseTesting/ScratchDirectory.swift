import Foundation

/// A fresh directory of one test's own under the system's temporary directory, removed with
/// everything in it when this object goes.
///
/// Why: tests must not leave files behind. A CI machine (or a laptop) runs the suites many times
/// a day, and a test that made a directory in /tmp and forgot it left about a hundred of them,
/// some holding keys and ledgers, on every run. Tie the directory to the test instead: hold this
/// in the suite (Swift Testing makes one suite instance per test and drops it when the test
/// ends), in a rig the test holds, or in a local that the test uses to its end.
public final class ScratchDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// The directory's path.
    public var path: String { url.path }

    /// Why the directory could not be made.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes `<temporary directory>/<prefix>-XXXXXX` with mode 0700 (`mkdtemp`: a name nobody
    /// else has, made atomically, for the owner only, since tests keep key files in it).
    public init(_ prefix: String) throws {
        var template = Array(FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-XXXXXX").path.utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(description: "could not make a temporary directory \(prefix)-XXXXXX: \(String(cString: strerror(errno)))")
        }
        url = URL(fileURLWithPath: String(cString: made), isDirectory: true)
    }

    /// The path of `name` (a relative path) inside the directory.
    public func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit {
        // Some tests make a directory read-only on purpose; give the owner write permission back
        // (directories only, never through a link) or the removal would stop there when not root.
        Self.makeWritable(path)
        if let entries = FileManager.default.enumerator(atPath: path) {
            for case let name as String in entries { Self.makeWritable(file(name)) }
        }
        try? FileManager.default.removeItem(at: url)
    }

    private static func makeWritable(_ path: String) {
        var st = stat()
        if lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { chmod(path, 0o700) }
    }
}
