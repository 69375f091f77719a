// Purse — Solana tests.
// Runs Support/svm_oracle.py (solders + the x402 SDK's SVM facilitator over an in-process
// LiteSVM) under the Python named by PURSE_TEST_PYTHON.

import PurseCore
import PurseTesting

/// The independent Solana oracle, available when `PURSE_TEST_PYTHON` names the test venv's Python.
enum SVMOracle {
    static let oracle = PythonScriptOracle("svm_oracle.py", besides: #filePath)

    static var isEnabled: Bool { oracle.isEnabled }

    /// Runs `command` with `request` on stdin and returns the JSON it prints.
    static func run(_ command: String, _ request: JSONValue) async throws -> JSONValue {
        try await oracle.run(command, request)
    }
}
