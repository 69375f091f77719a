// Purse — EVM tests.
// Runs Support/eth_oracle.py under the Python named by PURSE_TEST_PYTHON (a venv with eth-account).

import Foundation
import PurseCore
import Testing

/// The independent eth-account verifier, available when `PURSE_TEST_PYTHON` names a Python.
enum PythonOracle {
    /// The Python interpreter to run, from the environment.
    static let python = ProcessInfo.processInfo.environment["PURSE_TEST_PYTHON"]

    /// Whether the oracle tests should run.
    static var isEnabled: Bool { python != nil }

    /// The oracle script, found next to this file.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Support/eth_oracle.py")

    /// Why a run of the oracle failed.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `command` with `request` as JSON on stdin and returns the parsed JSON it prints.
    static func run(_ command: String, _ request: JSONValue) throws -> JSONValue {
        guard let python else { throw Failure(description: "PURSE_TEST_PYTHON is not set") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, command]
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(request.encodedBytes()))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "eth_oracle.py \(command) exited \(process.terminationStatus): \(String(decoding: err, as: UTF8.self))")
        }
        return try JSONValue.parse(Array(out))
    }
}
