import PurseCore

/// Why the report file could not be written.
enum ReportFileError: CodedError, Equatable {
    /// The file (or its temporary sibling) could not be created or renamed into place.
    case writeFailed(path: String, reason: String)

    var code: String {
        switch self {
        case .writeFailed: "report.write_failed"
        }
    }

    var message: String {
        switch self {
        case let .writeFailed(path, reason): "cannot write the report to \(path): \(reason)"
        }
    }
}
