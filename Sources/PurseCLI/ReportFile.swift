import Foundation
import PurseCore

/// Writing the report file and handing it to the desktop's opener.
enum ReportFile {
    /// Writes `html` to `path` (relative to the current directory) atomically, mode 0600 like
    /// the ledger it summarizes, and returns the absolute path.
    ///
    /// - Throws: `ReportFileError.writeFailed` naming the path and the reason.
    static func write(_ html: String, to path: String) throws(ReportFileError) -> String {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
            .standardizedFileURL
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
            throw .writeFailed(path: url.path, reason: "it is a directory")
        }
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            guard FileManager.default.createFile(atPath: tmp.path, contents: Data(html.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
            guard rename(tmp.path, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            let reason = (error as? POSIXError).map { String(cString: strerror($0.code.rawValue)) }
                ?? (FileManager.default.isWritableFile(atPath: url.deletingLastPathComponent().path) ? "\(error)" : "the directory is not writable or does not exist")
            throw .writeFailed(path: url.path, reason: reason)
        }
        return url.path
    }

    /// Hands `path` to `xdg-open` (or macOS `open`) when one is on PATH, waiting at most 5 s for
    /// it to return; returns a note for stderr when the file could not be opened (the report
    /// is written either way, so this is never an error).
    static func open(_ path: String) -> String? {
        let env = ProcessInfo.processInfo.environment
        let dirs = (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        #if os(macOS)
        let names = ["open"]
        #else
        let names = ["xdg-open"]
        #endif
        guard let opener = names.lazy.flatMap({ n in dirs.map { $0 + "/" + n } }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return "no desktop opener (\(names.joined(separator: ", "))) found; open \(path) in a browser"
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: opener)
        p.arguments = [path]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return "\(opener) could not start (\(error)); open \(path) in a browser" }
        let deadline = Date().addingTimeInterval(5)
        while p.isRunning, Date() < deadline { usleep(20_000) }
        if p.isRunning { return nil }  // still handing over: a browser that stays attached
        return p.terminationStatus == 0 ? nil : "\(opener) exited with \(p.terminationStatus); open \(path) in a browser"
    }
}
