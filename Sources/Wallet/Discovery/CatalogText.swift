/// Makes a catalog's free text safe to show: one line, no control or direction-changing
/// characters, clipped.
///
/// Descriptions, service names and tags are written by whoever lists a service, and they reach
/// the agent's context and the human's terminal. Stripping C0/C1 controls stops terminal escape
/// sequences and fake line structure; stripping bidirectional and zero-width format characters
/// stops text that reads differently from what it contains; clipping bounds what one item can
/// put in front of the model (and the memory a hostile catalog costs). The words themselves
/// stay: the tool description tells the agent they are untrusted data, not instructions.
public enum CatalogText {
    /// The longest description kept, in characters.
    public static let descriptionLimit = 500
    /// The longest service name kept.
    public static let serviceNameLimit = 100
    /// The longest tag kept, and the most tags kept.
    public static let tagLimit = 64, maxTags = 32

    /// The cleaned text, or nil when nothing printable is left.
    ///
    /// - Parameters:
    ///   - text: the catalog's text.
    ///   - limit: the most characters returned; longer text ends in `…`.
    public static func clean(_ text: String, limit: Int) -> String? {
        guard limit > 0 else { return nil }
        var out = String.UnicodeScalarView()
        var count = 0
        var pendingSpace = false
        var cut = false
        // Look at a bounded prefix only: a 200,000-character description costs no more than this.
        var budget = limit * 4 + 64
        for scalar in text.unicodeScalars {
            budget -= 1
            if budget < 0 { cut = true; break }
            if isSpaceLike(scalar) {
                pendingSpace = count > 0
                continue
            }
            if isInvisible(scalar) { continue }
            if count + (pendingSpace ? 1 : 0) >= limit { cut = true; break }
            if pendingSpace {
                out.append(" ")
                count += 1
                pendingSpace = false
            }
            out.append(scalar)
            count += 1
        }
        guard count > 0 else { return nil }
        guard cut else { return String(out) }
        var kept = String.UnicodeScalarView(out.prefix(min(count, limit - 1)))
        while let last = kept.last, last == " " { kept.removeLast() }
        kept.append("…")
        return String(kept)
    }

    /// Clips text that is already clean (for a table column), ending it in `…` when cut.
    public static func clip(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(max(0, limit - 1))) + "…"
    }

    /// White space and controls that become one space: C0/C1 controls, DEL, separators.
    static func isSpaceLike(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v <= 0x20 || v == 0x7f || (0x80...0x9f).contains(v) { return true }
        if v < 0x7f { return false }
        return s.properties.isWhitespace
    }

    /// Format characters that change how text reads without being seen: bidirectional
    /// embeddings, overrides and isolates, marks, zero-width characters, the BOM, tag characters.
    static func isInvisible(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x7f { return false }
        return switch s.value {
        case 0x061c, 0x200b...0x200f, 0x202a...0x202e, 0x2060...0x206f, 0xfeff, 0xfff9...0xfffb, 0xe0000...0xe007f: true
        default: s.properties.generalCategory == .format
        }
    }
}
