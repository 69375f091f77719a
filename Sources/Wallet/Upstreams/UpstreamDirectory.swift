import HTTP
import MCPUpstream
import PurseCore
import WalletConfig
import X402

/// Every configured upstream, and the tools Purse lists for them.
///
/// The listing is recomputed whenever a link changes; when the set of listed tools (or any
/// definition) differs from the last one, `onToolsChanged`'s handler runs, so the MCP face can
/// send `notifications/tools/list_changed`. A tool whose name is one of Purse's own
/// (`reservedNames`, such as `paid_fetch`) is never listed: an agent must not mistake an
/// upstream's tool for the wallet's. The refusal is logged once, and shown by `purse upstreams`.
public final class UpstreamDirectory: @unchecked Sendable {
    /// The links, in configuration order.
    public let links: [UpstreamLink]
    private let reserved: Set<String>
    private let assets: [AssetInfo]
    private let log: @Sendable (UpstreamLogLevel, String) -> Void
    private let state = Locked<(listed: [JSONObject], handler: (@Sendable () -> Void)?, logged: Set<String>)>(([], nil, []))

    /// Creates the links for `config.upstreams` (nothing starts until `start`).
    /// - Parameters:
    ///   - environment: Purse's own environment (only PATH and HOME reach a child).
    ///   - reservedNames: Purse's own tool names, never listed for an upstream.
    public init(config: PurseConfig, http: any HTTPClient, environment: [String: String], clientVersion: String,
                reservedNames: Set<String>, log: @escaping @Sendable (UpstreamLogLevel, String) -> Void) {
        self.reserved = reservedNames
        self.assets = config.knownAssets
        self.log = log
        let limits = UpstreamLimits(config: config)
        let box = WeakBox()
        self.links = config.upstreams.map { u in
            UpstreamLink(config: u, limits: limits, http: http, environment: environment, clientVersion: clientVersion, log: log,
                         changed: { box.directory?.linkChanged() })
        }
        box.directory = self
    }

    /// Whether any upstream is configured.
    public var isEmpty: Bool { links.isEmpty }

    /// Starts every link in the background; returns at once.
    public func start() {
        for link in links { link.start() }
    }

    /// Stops every link (children ended, sessions deleted).
    public func stop() async {
        await withTaskGroup(of: Void.self) { g in
            for link in links { g.addTask { await link.stop() } }
        }
    }

    /// Runs `handler` after every change of the listed tools (replacing an earlier handler).
    public func onToolsChanged(_ handler: @escaping @Sendable () -> Void) {
        state.withLock { $0.handler = handler }
    }

    /// The tools listed now, and those refused.
    public func listing() -> (tools: [ListedTool], refused: [RefusedTool]) {
        Self.listing(links.map { ($0.name, $0.tools) }, reserved: reserved, assets: assets)
    }

    /// The listing of some upstreams' tools: each as `NAME__TOOL` with its declared price, except
    /// a tool named like one of `reserved` (Purse's own), one whose listed name breaks MCP's
    /// rule, and a second tool of the same name.
    public static func listing(_ upstreams: [(name: String, tools: [UpstreamTool])], reserved: Set<String>,
                               assets: [AssetInfo]) -> (tools: [ListedTool], refused: [RefusedTool]) {
        var tools: [ListedTool] = []
        var refused: [RefusedTool] = []
        var seen = Set<String>()
        for (name, upstreamTools) in upstreams {
            for tool in upstreamTools {
                if reserved.contains(tool.name) {
                    refused.append(RefusedTool(upstream: name, tool: tool.name,
                                               reason: "it has the name of Purse's own tool \(tool.name), which it must not be mistaken for"))
                    continue
                }
                guard let listed = UpstreamToolName.listed(upstream: name, tool: tool.name) else {
                    refused.append(RefusedTool(upstream: name, tool: tool.name,
                                               reason: "its name cannot be listed as \(name)__NAME (MCP tool names: at most \(UpstreamToolName.maxLength) of A-Z a-z 0-9 _ - .)"))
                    continue
                }
                guard !reserved.contains(listed), seen.insert(listed).inserted else {
                    refused.append(RefusedTool(upstream: name, tool: tool.name, reason: "\(listed) is listed already"))
                    continue
                }
                tools.append(ListedTool(name: listed, upstream: name, tool: tool, price: DeclaredPrice.read(tool, assets: assets)))
            }
        }
        return (tools, refused)
    }

    /// The link and tool behind a listed name; nil when no such tool is listed now.
    public func resolve(_ listedName: String) -> (link: UpstreamLink, tool: UpstreamTool)? {
        guard let (upstream, toolName) = UpstreamToolName.split(listedName), !reserved.contains(toolName),
              let link = links.first(where: { $0.name == upstream }),
              let tool = link.tools.first(where: { $0.name == toolName })
        else { return nil }
        return (link, tool)
    }

    /// Whether `name` has the `NAME__TOOL` form of a configured upstream (listed now or not).
    public func claims(_ name: String) -> Bool {
        guard let (upstream, _) = UpstreamToolName.split(name) else { return false }
        return links.contains { $0.name == upstream }
    }

    /// Every upstream as it stands.
    public func snapshots() -> [UpstreamSnapshot] { links.map(\.snapshot) }

    /// Waits until every link has ended its first attempt (ready, or down), at most `timeout`.
    public func waitForFirstAttempts(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, links.contains(where: { !$0.snapshot.firstAttemptDone }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    fileprivate func linkChanged() {
        let (tools, refused) = listing()
        let definitions = tools.map(\.definition)
        let (handler, fresh) = state.withLock { s -> ((@Sendable () -> Void)?, [RefusedTool]) in
            let fresh = refused.filter { s.logged.insert("\($0.upstream)/\($0.tool)").inserted }
            guard definitions != s.listed else { return (nil, fresh) }
            s.listed = definitions
            return (s.handler, fresh)
        }
        for r in fresh { log(.warning, "upstream \(r.upstream): tool \(r.tool) is not listed: \(r.reason)") }
        handler?()
    }
}

/// Lets links reach their directory without a retain cycle.
private final class WeakBox: @unchecked Sendable {
    weak var directory: UpstreamDirectory?
}
