import Foundation
import Logging
import PurseMCP

/// `purse serve`'s stderr log: the line swift-log's `StreamLogHandler.standardError` writes, to
/// the byte (`<local time, ISO 8601 with offset> <level> <label>: <metadata> [<source>]
/// <message>`), written for less.
///
/// Why: `serve` writes one line per paid call before it answers, and `StreamLogHandler` formats
/// its time with `localtime`, which makes glibc stat `/etc/localtime` for every line: half of
/// the line's cost, on the path of the reply. Here the time zone is read once (`localtime_r`),
/// and the line goes out in one `write(2)`.
struct StderrLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    let label: String
    /// Where lines go: standard error, or a test's pipe.
    let fd: Int32

    init(label: String, fd: Int32 = 2, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.fd = fd
        self.metadataProvider = metadataProvider
        Self.loadTimeZone
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata, !explicit.isEmpty { merged.merge(explicit) { _, new in new } }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        let pretty = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ")
        write("\(Self.timestamp()) \(event.level)\(label.isEmpty ? "" : " ")\(label):\(pretty) [\(event.source)] \(event.message)\n")
    }

    /// Writes the whole line (`FrameWriter.writeAll`: short writes and EINTR continue it); a
    /// failure drops the line, as a log must not stop the server.
    private func write(_ line: String) {
        _ = FrameWriter.writeAll(fd, Array(line.utf8))
    }

    /// Reads the time zone once (`tzset`), so that `localtime_r` need not.
    private static let loadTimeZone: Void = tzset()

    /// The local time as `StreamLogHandler` writes it: `%Y-%m-%dT%H:%M:%S%z`.
    static func timestamp() -> String {
        var now = time(nil)
        var local = tm()
        guard localtime_r(&now, &local) != nil else { return "<unknown>" }
        var buffer = [CChar](repeating: 0, count: 64)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
