// PurseMCP: the MCP face of the Purse wallet.
import MCP

/// The two read-only resources Purse offers, both JSON read through the backend.
public enum ResourceCatalog {
    /// The spend log resource URI.
    public static let spendLogURI = "purse://spend-log"
    /// The budget resource URI.
    public static let budgetURI = "purse://budget"

    /// The resources for `resources/list`.
    public static let resources: [MCP.Resource] = [
        MCP.Resource(
            name: "spend-log", uri: spendLogURI, title: "Spend log",
            description: "Recent payments from the wallet's ledger, with totals (same JSON as the spend_log tool).",
            mimeType: "application/json"),
        MCP.Resource(
            name: "budget", uri: budgetURI, title: "Budget",
            description: "Configured limits and the budget spent and left (same JSON as the budget_status tool).",
            mimeType: "application/json"),
    ]

    /// Whether `uri` is one of ours.
    public static func contains(_ uri: String) -> Bool { resources.contains { $0.uri == uri } }
}
