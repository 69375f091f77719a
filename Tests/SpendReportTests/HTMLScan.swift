import Foundation

/// Small readers over the generated HTML, for assertions (no HTML parser needed: the page is
/// generated, so attribute order and quoting are known).
enum HTMLScan {
    /// Every value of `name="…"` in `html`.
    static func attributes(_ name: String, in html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        let key = " \(name)=\""
        while let r = rest.range(of: key) {
            let after = rest[r.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            out.append(String(after[..<end]))
            rest = after[end...]
        }
        return out
    }

    /// The element with `id="…"` (its opening tag up to the next `</`).
    static func element(id: String, in html: String) -> String? {
        guard let r = html.range(of: "id=\"\(id)\"") else { return nil }
        let start = html[..<r.lowerBound].lastIndex(of: "<") ?? r.lowerBound
        let tail = html[r.upperBound...]
        let end = tail.range(of: "</")?.lowerBound ?? html.endIndex
        return String(html[start..<end])
    }

    /// Addresses of resources the page would fetch: `src=`, `href=` of anything but `<a>`,
    /// `@import` and `url(…)` that are not a fragment (`#id`) or `data:`.
    static func fetchedResources(in html: String) -> [String] {
        var found: [String] = []
        let lower = html.lowercased()
        // src= anywhere, href= outside <a …>.
        for attr in ["src", "href", "xlink:href", "srcset", "poster", "action"] {
            var rest = lower[...]
            while let r = rest.range(of: "\(attr)=") {
                defer { rest = lower[r.upperBound...] }
                let tagStart = lower[..<r.lowerBound].lastIndex(of: "<") ?? lower.startIndex
                let tag = lower[tagStart..<r.lowerBound]
                // An attribute starts after whitespace, outside any quoted value, inside a tag
                // (text such as `title="…src=…"` or escaped `&lt;img src=` is not a fetch).
                guard tag.last?.isWhitespace == true, tag.filter({ $0 == "\"" }).count % 2 == 0,
                      !tag.contains(">") else { continue }
                var value = lower[r.upperBound...]
                let quote = value.first
                let quoted = quote == "\"" || quote == "'"
                if quoted { value = value.dropFirst() }
                let v = String(value.prefix { quoted ? $0 != quote : !($0.isWhitespace || $0 == ">") })
                let isLink = attr == "href" && (tag.hasPrefix("<a ") || tag.hasPrefix("<a\n"))
                if !isLink, !v.hasPrefix("#"), !v.hasPrefix("data:") { found.append(v) }
            }
        }
        var rest = lower[...]
        while let r = rest.range(of: "url(") {
            let v = String(lower[r.upperBound...].prefix { $0 != ")" }).trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
            if !v.hasPrefix("#"), !v.hasPrefix("data:") { found.append(v) }
            rest = lower[r.upperBound...]
        }
        if lower.contains("@import") { found.append("@import") }
        return found
    }
}
