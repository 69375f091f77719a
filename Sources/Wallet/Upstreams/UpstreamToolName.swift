/// The names under which upstream tools are listed beside Purse's own: `NAME__TOOL`.
///
/// An upstream's NAME has no underscore (`^[a-z][a-z0-9-]{0,31}$`), so the first `__` of a
/// listed name always separates it from the tool's own name, whatever that contains. Tool names
/// follow MCP's rule (1–128 characters of `A–Z a–z 0–9 _ - .`); an upstream tool whose listed
/// name would break it is not listed.
public enum UpstreamToolName {
    /// Between the upstream's name and the tool's.
    public static let separator = "__"
    /// The longest listed name.
    public static let maxLength = 128

    /// `NAME__TOOL`, or nil when `tool` cannot be listed (bad characters, too long).
    public static func listed(upstream: String, tool: String) -> String? {
        let name = upstream + separator + tool
        guard !tool.isEmpty, name.utf8.count <= maxLength, isToolName(tool) else { return nil }
        return name
    }

    /// The upstream and tool of a listed name; nil when it is not of the `NAME__TOOL` form.
    public static func split(_ listed: String) -> (upstream: String, tool: String)? {
        guard let r = listed.range(of: separator) else { return nil }
        let upstream = String(listed[..<r.lowerBound])
        let tool = String(listed[r.upperBound...])
        guard !upstream.isEmpty, !tool.isEmpty, !upstream.contains("_") else { return nil }
        return (upstream, tool)
    }

    /// Whether `s` uses only the characters MCP allows in tool names.
    public static func isToolName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { c in
            (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) || c == 0x5F || c == 0x2D || c == 0x2E
        }
    }
}
