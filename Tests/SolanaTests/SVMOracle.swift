// Purse — Solana tests.
// Runs Support/svm_oracle.py (solders + the x402 SDK's SVM facilitator over an in-process
// LiteSVM) under the Python named by PURSE_TEST_PYTHON.

import Foundation
import PurseCore
import PurseTesting

/// The independent Solana oracle, available when `PURSE_TEST_PYTHON` names the test venv's Python.
enum SVMOracle {
    static let python = ProcessInfo.processInfo.environment["PURSE_TEST_PYTHON"]

    static var isEnabled: Bool { python != nil }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Support/svm_oracle.py")

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `command` with `request` on stdin and returns the JSON it prints, off the cooperative
    /// pool and at most two at a time (importing solders and the SDK costs about a second of CPU).
    static func run(_ command: String, _ request: JSONValue) async throws -> JSONValue {
        guard let python else { throw Failure(description: "PURSE_TEST_PYTHON is not set") }
        let path = script.path
        return try await gate.withPermit {
            try await offPool { try runBlocking(python: python, script: path, command, request) }
        }
    }

    private static let gate = AsyncGate(permits: 2)

    private static func runBlocking(python: String, script: String, _ command: String, _ request: JSONValue) throws -> JSONValue {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, command]
        let stdin = Pipe(), stdout = Pipe()
        let errPath = NSTemporaryDirectory() + "/purse-svm-oracle-\(UUID().uuidString).err"
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
            throw Failure(description: "svm_oracle.py \(command) exited \(process.terminationStatus): \(err)")
        }
        return try JSONValue.parse(Array(out))
    }
}
