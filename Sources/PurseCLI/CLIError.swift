import ArgumentParser
import Foundation
import PurseCore

/// Prints a coded error to stderr and exits with `code`.
enum CLIExit {
    /// A usage or environment error.
    static let failure: Int32 = 1
    /// Purse refused to pay (policy, budget, approval).
    static let refused: Int32 = 3
    /// A payment was made but failed or its outcome is unknown.
    static let paymentProblem: Int32 = 4

    static func fail(_ error: any Error, code: Int32 = failure) -> ExitCode {
        if let c = error as? any CodedError {
            stderr("purse: error: \(c.message) [\(c.code)]")
        } else {
            stderr("purse: error: \(error)")
        }
        return ExitCode(code)
    }
}

/// Writes a line to standard error.
func stderr(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Writes text to standard output (never used by `serve`).
func stdout(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

extension ProcessInfo {
    var env: [String: String] { environment }
}
