// Purse — EVM tests.
// Runs Support/eth_oracle.py under the Python named by PURSE_TEST_PYTHON (a venv with eth-account).

import PurseCore
import PurseTesting

/// The independent eth-account verifier.
enum PythonOracle {
    static let oracle = PythonScriptOracle("eth_oracle.py", besides: #filePath)

    /// Runs `command` with `request` as JSON on stdin and returns the parsed JSON it prints.
    static func run(_ command: String, _ request: JSONValue) async throws -> JSONValue {
        try await oracle.run(command, request)
    }
}
