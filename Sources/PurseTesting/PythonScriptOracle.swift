import Foundation
import PurseCore

/// An independent verifier written in Python (eth-account, solders, the official x402 SDK), run
/// as a child process under the interpreter `PURSE_TEST_PYTHON` names: a request as JSON on
/// stdin, the answer as JSON on stdout.
///
/// One runner for every oracle, so that they share one gate: importing those libraries costs
/// most of a second of CPU, and a dozen at once would starve the rest of a parallel test run.
public struct PythonScriptOracle: Sendable {
    /// The Python interpreter to run, from the environment.
    public static let python = ProcessInfo.processInfo.environment["PURSE_TEST_PYTHON"]

    /// The script, by absolute path.
    public let script: URL

    /// An oracle for `name`, found in the `Support` folder beside `file` (pass `#filePath`).
    public init(_ name: String, besides file: String) {
        script = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Support/\(name)")
    }

    /// Whether an interpreter is configured.
    public var isEnabled: Bool { Self.python != nil }

    /// Why a run of the oracle failed.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `command` with `request` as JSON on stdin and returns the parsed JSON it prints.
    ///
    /// The process is started and waited for on a thread of its own (`offPool`), never on the
    /// cooperative pool, and at most two at a time (one per core).
    /// - Throws: `Failure` when Python is not configured or the script fails; `JSONError` when
    ///   its output is not JSON.
    public func run(_ command: String, _ request: JSONValue) async throws -> JSONValue {
        guard let python = Self.python else { throw Failure(description: "PURSE_TEST_PYTHON is not set") }
        let path = script.path
        return try await Self.gate.withPermit {
            try await offPool { try Self.runBlocking(python: python, script: path, command, request) }
        }
    }

    private static let gate = AsyncGate(permits: 2)

    private static func runBlocking(python: String, script: String, _ command: String, _ request: JSONValue) throws -> JSONValue {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, command]
        let stdin = Pipe(), stdout = Pipe()
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
            let name = URL(fileURLWithPath: script).lastPathComponent
            throw Failure(description: "\(name) \(command) exited \(process.terminationStatus): \(err)")
        }
        return try JSONValue.parse(Array(out))
    }
}
