import Foundation

/// This machine's host name as the kernel reports it (`gethostname`), recorded on sessions.
///
/// Not `ProcessInfo.hostName`, which may resolve the name through DNS and stall a start-up.
public enum MachineName {
    /// The host name, or nil when the kernel gives none.
    public static let current: String? = {
        var buffer = [UInt8](repeating: 0, count: 256)
        let ok = buffer.withUnsafeMutableBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { gethostname($0.baseAddress!, 255) == 0 }
        }
        guard ok else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }()
}
