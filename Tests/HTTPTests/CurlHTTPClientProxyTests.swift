import Foundation
import PurseTesting
import PurseCore
import Testing
@testable import HTTP

/// The variable that turns on `ProxyEnvironmentChild`; it holds the URL the child must fetch.
let proxyChildKey = "PURSE_HTTP_PROXY_CHILD_URL"

/// Proxy decisions: explicit proxies are used, environment proxies never are.
@Suite struct CurlHTTPClientProxyTests {
    @Test func explicitProxyIsUsed() async throws {
        try await withTestServer { target in
            try await withTestServer { proxy in
                let url = target.url("/ok?via=proxy")
                let client = CurlHTTPClient(options: HTTPOptions(proxy: .url(proxy.url(""))))
                let r = try await client.send(HTTPRequest(url: url))
                #expect(r.status == 200)
                #expect(try json(r)["path"]?.stringValue == url) // absolute-form: the proxy answered
                let proxied = try proxy.log()
                #expect(proxied.count == 1)
                #expect(proxied.first?["path"]?.stringValue == url)
                let direct = try target.log()
                #expect(direct.isEmpty)
            }
        }
    }

    @Test func deadExplicitProxyFailsToConnectWithoutSending() async throws {
        let proxy = try await TestServer.start()
        let proxyURL = proxy.url("")
        await proxy.stop()
        try await withTestServer { target in
            let client = CurlHTTPClient(options: HTTPOptions(proxy: .url(proxyURL)))
            let e = try #require(await failure { () async throws(HTTPError) in
                try await client.send(HTTPRequest(url: target.url("/ok")))
            })
            #expect(e.kind == .connectFailed)
            #expect(!e.requestMayHaveBeenSent)
            let log = try target.log()
            #expect(log.isEmpty)
        }
    }

    /// Sets every proxy variable to a fake proxy, then (1) checks the curl tool does go through
    /// it, so the trap is real, and (2) runs `ProxyEnvironmentChild` in a child copy of this test
    /// binary with that environment, which must reach the target directly. A child process keeps
    /// `setenv` away from other tests running in parallel threads of this process.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/proc/self/exe")))
    func environmentProxyIsIgnoredWhenDirect() async throws {
        try await withTestServer { target in
            try await withTestServer { proxy in
                let url = target.url("/ok?marker=\(UUID().uuidString)")
                var env = ProcessInfo.processInfo.environment
                for key in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
                    env[key] = proxy.url("")
                }
                env["no_proxy"] = nil
                env["NO_PROXY"] = nil

                let control = try await runProcess("/usr/bin/curl", ["-s", "-o", "/dev/null", url], env)
                #expect(control.status == 0)
                let trapped = try proxy.log()
                #expect(trapped.count == 1)
                #expect(trapped.first?["path"]?.stringValue == url)

                env[proxyChildKey] = url
                let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
                let child = try await runProcess(binary, ["--testing-library", "swift-testing", "--filter", "ProxyEnvironmentChild"], env)
                #expect(child.status == 0, "child output:\n\(child.output)")
                let direct = try target.log()
                #expect(direct.count == 1, "child output:\n\(child.output)")
                #expect(direct.first?["path"]?.stringValue == String(url.dropFirst("http://\(target.host):\(target.port)".count)))
                let proxied = try proxy.log()
                #expect(proxied.count == 1) // still only the control request
            }
        }
    }
}

/// Runs only in the child process started by `environmentProxyIsIgnoredWhenDirect`, where every
/// proxy variable points at a fake proxy.
@Suite(.enabled(if: ProcessInfo.processInfo.environment[proxyChildKey] != nil))
struct ProxyEnvironmentChild {
    @Test func directClientIgnoresProxyVariables() async throws {
        let url = try #require(ProcessInfo.processInfo.environment[proxyChildKey])
        #expect(ProcessInfo.processInfo.environment["http_proxy"] != nil)
        let r = try await CurlHTTPClient().send(HTTPRequest(url: url))
        #expect(r.status == 200)
        #expect(try json(r)["path"]?.stringValue?.hasPrefix("/ok?marker=") == true) // origin-form: no proxy
    }
}

/// What a finished child process left.
struct ProcessOutcome: Sendable {
    let status: Int32
    let output: String
}

/// Runs a program to completion on a thread of its own (killed after 60 s), capturing its output.
/// The wait is for the process's exit event, not a poll.
func runProcess(_ path: String, _ arguments: [String], _ environment: [String: String]) async throws -> ProcessOutcome {
    try await offPool {
        let outPath = NSTemporaryDirectory() + "/purse-child-\(UUID().uuidString).txt"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        defer { try? out.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = out
        let exit = ExitSignal(process)
        try process.run()
        if !exit.wait(seconds: 60) {
            kill(process.processIdentifier, SIGKILL)
            _ = exit.wait(seconds: 10)
        }
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        return ProcessOutcome(status: process.terminationStatus, output: text)
    }
}
