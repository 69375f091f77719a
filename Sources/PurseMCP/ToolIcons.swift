// PurseMCP: the MCP face of the Purse wallet.
import MCP
import PurseCore

/// The tools' icons: one small SVG each, sent inline as a `data:` URI so that a host never
/// fetches anything to show them (the revisions let icons be URLs; a wallet should not make its
/// host contact a third party). 24×24, stroke-only, no script, no external references.
enum ToolIcons {
    private static let head = ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="#2b6e4f" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">"##

    /// The SVG body of each tool's icon.
    static let svg: [String: String] = [
        // A coin with a dollar sign: spending.
        "paid_fetch": #"<circle cx="12" cy="12" r="9"/><path d="M15 9.5c0-1.2-1.3-2-3-2s-3 .8-3 2 1.3 1.8 3 2.2 3 1 3 2.3-1.3 2-3 2-3-.8-3-2M12 6v12"/>"#,
        // A price tag.
        "quote": #"<path d="M3 12V4h8l10 10-8 8z"/><circle cx="7.5" cy="8.5" r="1.5"/>"#,
        // A wallet.
        "wallet_balance": #"<rect x="3" y="6" width="18" height="13" rx="2"/><path d="M3 10h18M16 14h2"/>"#,
        // An address card.
        "wallet_address": #"<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M7 10h10M7 14h6"/>"#,
        // A gauge.
        "budget_status": #"<path d="M4 17a8 8 0 1 1 16 0"/><path d="M12 17l4-5"/>"#,
        // A magnifier: searching the catalogs.
        "discover": #"<circle cx="10.5" cy="10.5" r="6.5"/><path d="M15.5 15.5L21 21"/>"#,
        // A plug: a tool on another MCP server, paid if it asks.
        "paid_tool_call": #"<path d="M9 3v5M15 3v5M6 8h12v3a6 6 0 0 1-12 0zM12 17v4"/>"#,
        // A price tag on a plug: that tool's price, nothing paid.
        "tool_quote": #"<path d="M3 12V4h8l10 10-8 8z"/><path d="M6.5 7.5v2M8.5 7.5v2"/>"#,
        // A ledger list.
        "spend_log": #"<path d="M8 6h12M8 12h12M8 18h12"/><circle cx="4" cy="6" r="1"/><circle cx="4" cy="12" r="1"/><circle cx="4" cy="18" r="1"/>"#,
    ]

    /// The icons of `tool` (none for an unknown name).
    static func icons(_ tool: String) -> [Icon]? {
        guard let body = svg[tool] else { return nil }
        let document = head + body + "</svg>"
        return [Icon(src: "data:image/svg+xml;base64," + Base64.encode(Array(document.utf8)), mimeType: "image/svg+xml", sizes: ["any"])]
    }
}
