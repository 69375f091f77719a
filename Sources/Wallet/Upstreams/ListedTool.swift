import MCPUpstream
import PurseCore

/// An upstream tool as Purse lists it: `NAME__TOOL`, its schemas and annotations unchanged, its
/// description prefixed with the upstream's name and its declared price.
public struct ListedTool: Sendable, Equatable {
    /// `NAME__TOOL`.
    public let name: String
    /// The upstream's name.
    public let upstream: String
    /// The tool as the upstream listed it.
    public let tool: UpstreamTool
    /// The price declared at list time, if any.
    public let price: DeclaredPrice?
    /// The `tools/list` entry: name, title, description, inputSchema, outputSchema, annotations,
    /// icons (the upstream's own, except name and description).
    public let definition: JSONObject

    /// Builds the listing of one tool.
    public init(name: String, upstream: String, tool: UpstreamTool, price: DeclaredPrice?) {
        self.name = name
        self.upstream = upstream
        self.tool = tool
        self.price = price
        var d = JSONObject()
        d["name"] = .string(name)
        if let title = tool.title { d["title"] = .string(title) }
        d["description"] = .string(Self.description(upstream: upstream, tool: tool, price: price))
        d["inputSchema"] = tool.inputSchema
        if let o = tool.outputSchema { d["outputSchema"] = o }
        if let a = tool.annotations { d["annotations"] = a }
        if case .array? = tool.raw["icons"] { d["icons"] = tool.raw["icons"] }
        self.definition = d
    }

    /// `[NAME] costs 0.01 USDC per call (Purse pays within your budget). <the upstream's description>`.
    static func description(upstream: String, tool: UpstreamTool, price: DeclaredPrice?) -> String {
        var prefix = "[\(upstream)]"
        if let price {
            prefix += " \(price.text.prefix(1).uppercased() + price.text.dropFirst()) (Purse pays within your budget)."
        } else if DeclaredPrice.declaresPayment(tool) {
            prefix += " Paid: the price is asked at call time (Purse pays within your budget)."
        }
        guard let own = tool.description, !own.isEmpty else { return prefix }
        return prefix + " " + own
    }
}

/// An upstream tool Purse does not list, and why.
public struct RefusedTool: Sendable, Equatable {
    /// The upstream's name.
    public let upstream: String
    /// The tool's name at the upstream.
    public let tool: String
    /// Why it is not listed.
    public let reason: String
}
