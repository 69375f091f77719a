import ArgumentParser
import Foundation

/// `purse demo`: a real 402 → pay → grant run against the embedded offline world.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start the offline x402 world, fund a throw-away wallet and pay through `purse serve` under an MCP client.")

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // The repository root: $PURSE_HOME, else walk up from the executable (…/.build/debug/purse), else the current directory.
        var candidates = [String]()
        if let h = env["PURSE_HOME"] { candidates.append(h) }
        var dir = me.deletingLastPathComponent()
        for _ in 0..<5 { candidates.append(dir.path); dir = dir.deletingLastPathComponent() }
        candidates.append(FileManager.default.currentDirectoryPath)
        guard let root = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/examples/local-world/demo.py") }) else {
            throw CLIExit.fail(ValidationError("cannot find examples/local-world/demo.py; run from the Purse checkout or set PURSE_HOME"))
        }
        let python = env["PURSE_VENV"].map { $0 + "/bin/python" } ?? root + "/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw CLIExit.fail(ValidationError("the test-world venv is missing (\(python)); run scripts/bootstrap --python or scripts/demo"))
        }
        var childEnv = env
        childEnv["PURSE_BIN"] = me.path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [root + "/examples/local-world/demo.py"]
        p.environment = childEnv
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus != 0 { throw ExitCode(p.terminationStatus) }
    }
}
