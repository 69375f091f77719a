// Purse — EVM tests.
// Runs Support/eth_oracle.py under the Python named by PURSE_TEST_PYTHON (a venv with eth-account).

import Foundation
import PurseTesting
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
    ///
    /// The process is started and waited for on a thread of its own (`offPool`), never on the
    /// cooperative pool, so oracle tests can run in parallel with the pipe tests.
    /// - Throws: `Failure` when Python is not configured or the script fails; `JSONError` when
    ///   its output is not JSON.
    static func run(_ command: String, _ request: JSONValue) async throws -> JSONValue {
        guard let python else { throw Failure(description: "PURSE_TEST_PYTHON is not set") }
        let path = script.path
        return try await gate.withPermit {
            try await offPool { try runBlocking(python: python, script: path, command, request) }
        }
    }

    /// Two oracle processes at a time (one per core): importing eth-account costs most of a
    /// second of CPU, and a dozen at once would starve everything else.
    private static let gate = AsyncGate(permits: 2)

    private static func runBlocking(python: String, script: String, _ command: String, _ request: JSONValue) throws -> JSONValue {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, command]
        let stdin = Pipe()
        let stdout = Pipe()
        // stderr goes to a file, so a long traceback cannot fill a pipe nobody is reading yet.
        let errPath = NSTemporaryDirectory() + "/purse-oracle-\(UUID().uuidString).err"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let stderr = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer { try? stderr.close() }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(request.encodedBytes()))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw Failure(description: "eth_oracle.py \(command) exited \(process.terminationStatus): \(err)")
        }
        return try JSONValue.parse(Array(out))
    }
}
