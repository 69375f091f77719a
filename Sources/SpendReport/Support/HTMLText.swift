/// Escaping for text that goes into the report's HTML and SVG.
///
/// Hosts, URLs, labels and errors in the ledger came from servers and agents: every one of them
/// passes through here, in text and in attribute values alike, so none can open a tag, close an
/// attribute or start a script.
enum HTMLText {
    /// `text` with `& < > " '` replaced by entities and control characters (C0 but tab and
    /// newline, DEL, C1) replaced by `?`.
    static func escape(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value) {
                    out += "?"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// `text` cut to `max` characters with a trailing ellipsis (before escaping).
    static func clip(_ text: String, _ max: Int) -> String {
        text.count > max ? String(text.prefix(max - 1)) + "…" : text
    }
}
