import Foundation
import HTTP
import MCPUpstream
import PurseCore
import WalletConfig

/// One configured upstream: its connection, its tools and its state, kept up in the background.
///
/// `start` connects without making anyone wait (Purse's own tools never wait for an upstream):
/// spawn or connect, `initialize`, `tools/list`, each within `startTimeout`. A stdio child that
/// dies (or an HTTP server that stops accepting connections) takes its tools away at once and is
/// started again after a backoff that doubles per failed attempt (1 s, 2 s, … 60 s) and resets
/// once a connection stayed up for `healthyAfter`. Every change is reported through `changed`,
/// so the server can tell its client that the tool list changed.
///
/// As a `ToolCallSender`, a link sends to whatever connection is current: a paid resend after a
/// restart reaches the restarted child with the same bytes; while there is none, a call fails at
/// once with `upstream.not_connected` (nothing sent). An expired HTTP session is renewed once,
/// transparently (a 404 on a session means the server processed nothing).
public final class UpstreamLink: ToolCallSender, @unchecked Sendable {
    /// Where a link stands.
    public enum State: String, Sendable, Equatable {
        /// The first connection is being made.
        case starting
        /// Connected; its tools are listed.
        case ready
        /// Not connected (failed to start, or died); another attempt follows after a backoff.
        case down
        /// Stopped for good (Purse is shutting down).
        case stopped
    }

    /// The configuration.
    public let config: UpstreamConfig
    /// `mcp:NAME`: the host its payments are judged and recorded under.
    public let host: HostName
    private let limits: UpstreamLimits
    private let http: any HTTPClient
    private let environment: [String: String]
    private let clientVersion: String
    private let log: @Sendable (UpstreamLogLevel, String) -> Void
    private let changed: @Sendable () -> Void

    private struct Inner {
        var state: State = .starting
        var client: MCPClient?
        var watch: DeathWatch?
        var tools: [UpstreamTool] = []
        var lastError: String?
        var attempts = 0
        var restarts = 0
        var pid: Int32?
        var loop: Task<Void, Never>?
        var stopped = false
        var firstAttemptDone = false
    }

    private let inner = Locked(Inner())

    /// Creates a link; nothing happens until `start`.
    /// - Parameters:
    ///   - environment: Purse's own environment, from which only PATH and HOME reach a child.
    ///   - log: where the link's events go.
    ///   - changed: told after every change of state or tools.
    public init(config: UpstreamConfig, limits: UpstreamLimits, http: any HTTPClient, environment: [String: String],
                clientVersion: String, log: @escaping @Sendable (UpstreamLogLevel, String) -> Void,
                changed: @escaping @Sendable () -> Void) {
        self.config = config
        self.host = HostName(config.policyHost)
        self.limits = limits
        self.http = http
        self.environment = environment
        self.clientVersion = clientVersion
        self.log = log
        self.changed = changed
    }

    /// The upstream's name.
    public var name: String { config.name }

    /// Starts connecting in the background (once).
    public func start() {
        inner.withLock { s in
            guard s.loop == nil, !s.stopped else { return }
            s.loop = Task.detached { [self] in await run() }
        }
    }

    /// Stops for good: no more restarts; the child is ended (stdin closed, TERM, KILL) or the
    /// HTTP session deleted.
    public func stop() async {
        let (loop, client) = inner.withLock { s -> (Task<Void, Never>?, MCPClient?) in
            s.stopped = true
            s.state = .stopped
            defer { s.client = nil; s.tools = [] }
            return (s.loop, s.client)
        }
        loop?.cancel()
        await client?.connection.close()
    }

    /// The state, the tools (when ready) and what went wrong last.
    public var snapshot: UpstreamSnapshot {
        inner.withLock { s in
            UpstreamSnapshot(name: config.name, transport: config.transport, state: s.state, tools: s.tools, lastError: s.lastError,
                             restarts: s.restarts, pid: s.pid, server: s.client?.identity, firstAttemptDone: s.firstAttemptDone)
        }
    }

    /// The tools listed while ready (none otherwise).
    public var tools: [UpstreamTool] { inner.withLock { $0.state == .ready ? $0.tools : [] } }

    // MARK: - Calls

    public func callTool(_ tool: String, arguments: JSONObject, meta: JSONObject?) async throws(UpstreamError) -> RPCReply {
        let (client, watch, why) = inner.withLock { s in (s.state == .ready ? s.client : nil, s.watch, s.lastError) }
        guard let client else {
            throw UpstreamError(.notConnected, "upstream \(name) is not connected\(why.map { " (\($0))" } ?? ""), so this call was not sent",
                                requestMayHaveBeenSent: false)
        }
        do {
            return try await client.callTool(tool, arguments: arguments, meta: meta, timeout: limits.callTimeout)
        } catch where error.kind == .sessionExpired {
            log(.info, "upstream \(name): the MCP session expired; starting a new one and sending the call again")
            let renewed = try await renewSession(replacing: client)
            return try await renewed.callTool(tool, arguments: arguments, meta: meta, timeout: limits.callTimeout)
        } catch where error.kind == .transport && !error.requestMayHaveBeenSent {
            watch?.fire("unreachable: \(error.message)")
            throw error
        }
    }

    /// A new Streamable HTTP session in place of one that expired.
    private func renewSession(replacing old: MCPClient) async throws(UpstreamError) -> MCPClient {
        let client = try await connect(watch: DeathWatch())
        let stale = inner.withLock { s -> Bool in
            guard s.state == .ready, s.client === old else { return true }
            s.client = client
            return false
        }
        if stale { await client.connection.close() }
        return client
    }

    // MARK: - The connection loop

    private func run() async {
        var attempt = 0
        while !isStopped {
            let watch = DeathWatch()
            let began = ContinuousClock.now
            do throws(UpstreamError) {
                let client = try await connect(watch: watch)
                let tools: [UpstreamTool]
                do throws(UpstreamError) { tools = try await client.listTools(timeout: limits.startTimeout) } catch {
                    await client.connection.close()
                    throw error
                }
                guard install(client, tools: tools, watch: watch) else {
                    await client.connection.close()
                    return
                }
                let id = client.identity
                log(.info, "upstream \(name) ready: \(id.name) \(id.version), MCP \(id.protocolVersion), \(tools.count) tool(s)")
                changed()
                await watch.wait()
                let why = watch.reason ?? "stopped"
                if isStopped { return }
                await client.connection.close()
                markDown(why)
                log(.warning, "upstream \(name) stopped (\(why)); its tools are withdrawn until it is back")
                changed()
                if ContinuousClock.now - began >= limits.healthyAfter { attempt = 0 }
            } catch {
                if isStopped { return }
                markDown(error.message)
                log(.warning, "upstream \(name) could not be started: \(error.message) [\(error.code)]")
                changed()
            }
            attempt += 1
            let delay = limits.backoff(attempt: attempt)
            log(.debug, "upstream \(name): next attempt in \(DurationText.seconds(delay))")
            do { try await Task.sleep(for: delay) } catch { return }
            inner.withLock { $0.restarts += 1 }
        }
    }

    private var isStopped: Bool { inner.withLock { $0.stopped } }

    private func install(_ client: MCPClient, tools: [UpstreamTool], watch: DeathWatch) -> Bool {
        inner.withLock { s in
            guard !s.stopped else { return false }
            s.state = .ready
            s.client = client
            s.watch = watch
            s.tools = tools
            s.lastError = nil
            s.firstAttemptDone = true
            return true
        }
    }

    private func markDown(_ why: String) {
        inner.withLock { s in
            guard !s.stopped else { return }
            s.state = .down
            s.client = nil
            s.watch = nil
            s.tools = []
            s.lastError = why
            s.pid = nil
            s.firstAttemptDone = true
        }
    }

    private func connect(watch: DeathWatch) async throws(UpstreamError) -> MCPClient {
        let connection: any MCPConnection
        switch config.transport {
        case let .stdio(command, args, env):
            var full = ["PATH": environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"]
            if let home = environment["HOME"] { full["HOME"] = home }
            for (k, v) in env { full[k] = v }
            let (name, log) = (config.name, self.log)
            let stdio = try StdioConnection(
                name: name, command: command, args: args, environment: full, maxMessageBytes: limits.maxMessageBytes,
                log: { log(.debug, "upstream \(name): \($0)") },
                onNotification: { [weak self] method, _ in
                    if method == "notifications/tools/list_changed" { self?.refreshTools() }
                },
                onExit: { watch.fire($0) })
            inner.withLock { $0.pid = stdio.pid }
            connection = stdio
        case let .http(url, headers):
            connection = StreamableHTTPConnection(url: url, headers: headers, http: http)
        }
        do {
            return try await MCPClient.handshake(over: connection, clientVersion: clientVersion, timeout: limits.startTimeout)
        } catch {
            await connection.close()
            throw error
        }
    }

    /// The upstream said its tools changed: list them again.
    private func refreshTools() {
        Task.detached { [self] in
            guard let client = inner.withLock({ $0.state == .ready ? $0.client : nil }) else { return }
            do throws(UpstreamError) {
                let tools = try await client.listTools(timeout: limits.startTimeout)
                let updated = inner.withLock { s -> Bool in
                    guard s.state == .ready, s.client === client else { return false }
                    s.tools = tools
                    return true
                }
                if updated {
                    log(.info, "upstream \(name) changed its tools: \(tools.count) now")
                    changed()
                }
            } catch {
                log(.warning, "upstream \(name): listing its changed tools failed: \(error.message)")
            }
        }
    }
}

/// Durations as people read them ("2 s", "250 ms").
enum DurationText {
    static func seconds(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }
}
