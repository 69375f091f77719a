import Foundation

/// Writes diagnostics to standard error (never stdout, which belongs to JSON-RPC in `serve`).
public enum StandardError {
    /// Writes `text` to fd 2.
    public static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
