import PurseCore

/// A coded error raised by the CLI itself (not by the wallet), such as `approval.no_terminal`.
struct CLIExitError: CodedError {
    let code: String
    let message: String
    init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
}
