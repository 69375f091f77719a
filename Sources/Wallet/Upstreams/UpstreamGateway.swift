import HTTP
import MCPUpstream
import PurseCore
import WalletConfig

/// The wallet's use cases for MCP tools: calling a configured upstream's tool (`NAME__TOOL`), an
/// ad-hoc server's (`paid_tool_call`), and pricing one (`tool_quote`). Each builds an
/// `MCPToolPaymentChannel` and hands it to the one `PaymentDriver`; nothing here decides
/// whether to pay.
public final class UpstreamGateway: Sendable {
    /// The configured upstreams.
    public let directory: UpstreamDirectory
    private let driver: PaymentDriver
    private let http: any HTTPClient
    private let limits: UpstreamLimits
    private let clientVersion: String

    /// Creates the gateway; the directory's links start with `directory.start()`.
    public init(directory: UpstreamDirectory, driver: PaymentDriver, http: any HTTPClient, config: PurseConfig, clientVersion: String) {
        self.directory = directory
        self.driver = driver
        self.http = http
        self.limits = UpstreamLimits(config: config)
        self.clientVersion = clientVersion
    }

    /// Calls a listed upstream tool, paying under the policy with host `mcp:NAME`; nil when no
    /// tool of that name is listed now.
    public func call(listedName: String, arguments: JSONObject, approver: any PaymentApprover) async -> ToolCallResult? {
        guard let (link, tool) = directory.resolve(listedName) else { return nil }
        let resource = PaymentResource(method: "CALL", url: "mcp://\(link.name)/\(tool.name)", host: link.host)
        let channel = MCPToolPaymentChannel(tool: tool.name, arguments: arguments, resource: resource, sender: link)
        return await driver.callTool(channel, maxPrice: nil, approver: approver)
    }

    /// Calls `tool` on the Streamable HTTP MCP server at `serverURL` (not configured), paying under
    /// the policy with the URL's host, as `paid_fetch` would.
    public func callAdHoc(serverURL: String, tool: String, arguments: JSONObject, maxPrice: Micros?,
                          approver: any PaymentApprover) async -> ToolCallResult {
        let upstream: AdHocUpstream
        do { upstream = try AdHocUpstream(url: serverURL, http: http, limits: limits, clientVersion: clientVersion) } catch {
            return ToolCallResult(outcome: FlowOutcome(kind: .refused(FlowRefusal(error, isTransportFailure: true))), reply: nil,
                                  paymentID: nil, budget: await driver.budget(host: nil), target: serverURL)
        }
        let channel = MCPToolPaymentChannel(tool: tool, arguments: arguments, resource: Self.resource(upstream, tool: tool), sender: upstream)
        let result = await driver.callTool(channel, maxPrice: maxPrice, approver: approver)
        await upstream.close()
        return result
    }

    /// Calls `tool` on `serverURL` unpaid and says what Purse would pay (nothing reserved or
    /// signed). A free tool runs: asking is calling.
    public func quoteAdHoc(serverURL: String, tool: String, arguments: JSONObject, maxPrice: Micros?) async -> ToolQuoteResult {
        let upstream: AdHocUpstream
        do { upstream = try AdHocUpstream(url: serverURL, http: http, limits: limits, clientVersion: clientVersion) } catch {
            return ToolQuoteResult(reply: nil, offer: nil, selection: nil, plan: nil, refusal: FlowRefusal(error, isTransportFailure: true),
                                   convention: nil, target: serverURL)
        }
        let channel = MCPToolPaymentChannel(tool: tool, arguments: arguments, resource: Self.resource(upstream, tool: tool), sender: upstream)
        let result = await driver.quoteTool(channel, maxPrice: maxPrice)
        await upstream.close()
        return result
    }

    private static func resource(_ upstream: AdHocUpstream, tool: String) -> PaymentResource {
        PaymentResource(method: "CALL", url: "\(upstream.url)#\(tool)", host: upstream.host)
    }
}
