import Foundation
import MCPUpstream
import PurseCore
import Testing

/// The stdio client against real child processes (small `/bin/sh` scripts): environment,
/// framing, the size cap, stderr floods, timeouts, and a child that dies mid-request.
@Suite(.serialized) struct StdioConnectionTests {
    /// Collects what the connection reports.
    final class Sink: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ s: String) { lock.withLock { items.append(s) } }
        var all: [String] { lock.withLock { items } }
    }

    /// A script that answers each request (its id taken from the line) with `answer`, where `ID`
    /// stands for the id.
    static func answering(_ answer: String, before: String = "") -> String {
        """
        \(before)
        while IFS= read -r line; do
          id=$(printf '%s' "$line" | sed -n 's/.*"id":\\([0-9]*\\).*/\\1/p')
          [ -z "$id" ] && continue
          printf '%s\\n' "$(printf '%s' '\(answer)' | sed "s/ID/$id/")"
        done
        """
    }

    static func connect(_ script: String, env: [String: String] = [:], maxBytes: Int = 1 << 20, log: Sink = Sink(),
                        notes: Sink = Sink(), exits: Sink = Sink()) throws -> StdioConnection {
        try StdioConnection(name: "t", command: "/bin/sh", args: ["-c", script], environment: env, maxMessageBytes: maxBytes,
                            log: { log.add($0) }, onNotification: { m, p in notes.add("\(m) \(p?.encoded() ?? "")") }, onExit: { exits.add($0) })
    }

    @Test func theChildGetsExactlyTheEnvironmentGiven() async throws {
        setenv("PURSE_TEST_SECRET", "0xkey", 1)
        defer { unsetenv("PURSE_TEST_SECRET") }
        let notes = Sink()
        let script = #"""
        case "$PURSE_TEST_SECRET" in "") s=absent;; *) s=present;; esac
        printf '{"jsonrpc":"2.0","method":"env","params":{"secret":"%s","foo":"%s","path":"%s"}}\n' "$s" "$FOO" "$PATH"
        read -r line
        """#
        let c = try Self.connect(script, env: ["FOO": "bar", "PATH": "/usr/bin:/bin"], notes: notes)
        await c.close()
        #expect(notes.all == [#"env {"secret":"absent","foo":"bar","path":"/usr/bin:/bin"}"#])
    }

    @Test func answersAreMatchedByIdAndAnOversizedOneFailsItsRequestAtOnce() async throws {
        let big = String(repeating: "x", count: 100_000)
        let script = """
        IFS= read -r line
        id=$(printf '%s' "$line" | sed -n 's/.*"id":\\([0-9]*\\).*/\\1/p')
        printf '{"jsonrpc":"2.0","id":%s,"result":{"content":[{"type":"text","text":"\(big)"}]}}\\n' "$id"
        \(Self.answering(#"{"jsonrpc":"2.0","id":ID,"result":{"ok":true}}"#))
        """
        let log = Sink()
        let c = try Self.connect(script, maxBytes: 4_096, log: log)
        let first = try await c.request("tools/call", params: ["name": "big"], timeout: .seconds(20))
        guard case let .tooLarge(bytes) = first else { Issue.record("expected tooLarge, got \(first)"); return }
        #expect(bytes > 100_000)
        #expect(try await c.request("tools/call", params: nil, timeout: .seconds(20)) == .result(["ok": true]))
        #expect(log.all.contains { $0.contains("dropped a") })
        await c.close()
    }

    @Test func aFloodOnStderrDoesNotStallTheAnswer() async throws {
        let c = try Self.connect(Self.answering(#"{"jsonrpc":"2.0","id":ID,"result":{}}"#, before: "head -c 8000000 /dev/zero >&2"))
        #expect(try await c.request("ping", params: nil, timeout: .seconds(30)) == .result([:]))
        #expect(c.stderrBytes >= 0)
        await c.close()
    }

    @Test func aChildThatDiesFailsItsOpenRequestNamingTheExitAndItsStderr() async throws {
        let exits = Sink()
        let c = try Self.connect(#"read -r line; echo "fatal: out of cheese" >&2; exit 17"#, exits: exits)
        do {
            _ = try await c.request("tools/call", params: nil, timeout: .seconds(20))
            Issue.record("expected the request to fail")
        } catch {
            #expect(error.kind == .died && error.requestMayHaveBeenSent)
            #expect(error.message.contains("exited with 17") && error.message.contains("out of cheese"), "\(error.message)")
        }
        #expect(!c.isAlive)
        #expect(exits.all.count == 1)
        // Later requests fail at once, and say nothing was sent.
        do { _ = try await c.request("ping", params: nil, timeout: .seconds(5)) } catch {
            #expect(error.kind == .died && !error.requestMayHaveBeenSent)
        }
    }

    @Test func aSilentChildTimesOutAndIsEndedOnClose() async throws {
        let c = try Self.connect("cat > /dev/null")
        let started = ContinuousClock.now
        do {
            _ = try await c.request("tools/call", params: nil, timeout: .milliseconds(300))
            Issue.record("expected a timeout")
        } catch {
            #expect(error.kind == .timeout && error.requestMayHaveBeenSent)
        }
        // Only the request's timer makes a `.timeout` (the child never answers, so without it the
        // call would hang); the bound only catches a timer far off its 300 ms. Not tighter: a
        // fresh clone's first parallel run (Python oracles compiling their imports on both cores)
        // held the cooperative pool for 12.8 s here.
        #expect(ContinuousClock.now - started < .seconds(60))
        let pid = c.pid
        await c.close()
        // Ended and reaped: no process has its pid any more.
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }

    @Test func aCancelledCallFailsAloneAndTheConnectionGoesOn() async throws {
        let c = try Self.connect(#"""
        IFS= read -r first
        \#(Self.answering(#"{"jsonrpc":"2.0","id":ID,"result":{"n":2}}"#))
        """#)
        let task = Task { try await c.request("slow", params: nil, timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        do { _ = try await task.value; Issue.record("expected a cancellation") } catch let e as UpstreamError { #expect(e.kind == .cancelled) }
        #expect(try await c.request("next", params: nil, timeout: .seconds(20)) == .result(["n": 2]))
        await c.close()
    }

    @Test func aCommandThatCannotStartIsAStartFailure() {
        #expect(throws: UpstreamError.self) {
            _ = try StdioConnection(name: "t", command: "/nonexistent/server", args: [], environment: [:], maxMessageBytes: 1024, log: { _ in })
        }
    }
}
