// PurseMCP: the MCP face of the Purse wallet.
import Foundation

/// Hand-written matchers for the ASCII patterns of Purse's own schemas, answering exactly as
/// `NSRegularExpression` (ICU) does, which every other pattern still goes to.
///
/// Every tool result is checked against its output schema (`ToolInvoker`), and a `paid_fetch`
/// result holds a dozen decimal amounts: each ICU match bridged the string to UTF-16 under the
/// validator's lock, which made the check about 15 % of the MCP path's own work per call. These
/// patterns are plain character classes and counts, so a byte loop gives the same answer. The
/// one ICU rule that is not in the pattern text: without multi-line mode `$` also matches before
/// one line terminator that ends the input (`\n`, `\r\n`, `\r`, U+000B, U+000C, U+0085, U+2028,
/// U+2029), so `"5\n"` matches `^[0-9]+$`; the matchers keep that.
enum KnownPattern {
    /// `^(0|[1-9][0-9]{0,29})(\.[0-9]{1,18})?$`: a decimal amount.
    static let decimal = #"^(0|[1-9][0-9]{0,29})(\.[0-9]{1,18})?$"#
    /// `^[0-9]+$`: an atomic amount.
    static let digits = #"^[0-9]+$"#
    /// `^[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}$`: a CAIP-2 network.
    static let network = #"^[-a-z0-9]{3,8}:[-_a-zA-Z0-9]{1,32}$"#

    /// `^[hH][tT][tT][pP][sS]?://[^\s]+$`: the URL a fetching tool takes. Checked on every call,
    /// it kept ICU's regex engine and its Unicode sets on the paid path (code pages and 15–20 µs).
    static let url = #"^[hH][tT][tT][pP][sS]?://[^\s]+$"#
    /// `^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$`: an HTTP header name (an RFC 9110 token).
    static let headerName = #"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$"#
    /// `^[^\r\n]*$`: a header value without line breaks.
    static let headerValue = #"^[^\r\n]*$"#

    /// Whether `text` matches `pattern`, when `pattern` is one of the above; nil for any other.
    static func match(_ text: String, pattern: String) -> Bool? {
        let body: (ArraySlice<UInt8>) -> Bool
        switch pattern {
        case decimal: body = isDecimal
        case digits: body = { !$0.isEmpty && $0.allSatisfy(isDigit) }
        case network: body = isNetwork
        case headerName: body = { (1...256).contains($0.count) && $0.allSatisfy(isTokenByte) }
        case headerValue: body = { !$0.contains(0x0A) && !$0.contains(0x0D) }
        case url: return isURL(text)
        default: return nil
        }
        let bytes = Array(text.utf8)[...]
        return body(bytes) || withoutFinalLineTerminator(bytes).map(body) == true
    }

    /// `bytes` without the line terminator that ends it, if one does.
    private static func withoutFinalLineTerminator(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        if bytes.last == 0x0A { return bytes.dropLast(bytes.dropLast().last == 0x0D ? 2 : 1) }
        if let last = bytes.last, last == 0x0B || last == 0x0C || last == 0x0D { return bytes.dropLast() }
        if bytes.suffix(2).elementsEqual([0xC2, 0x85]) { return bytes.dropLast(2) }  // U+0085
        if bytes.suffix(3).elementsEqual([0xE2, 0x80, 0xA8]) || bytes.suffix(3).elementsEqual([0xE2, 0x80, 0xA9]) {
            return bytes.dropLast(3)  // U+2028, U+2029
        }
        return nil
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// An RFC 9110 `tchar`: ``!#$%&'*+-.^_`|~``, digits and letters.
    private static func isTokenByte(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || tokenSymbols.contains(b)
    }

    private static let tokenSymbols = Array("!#$%&'*+-.^_`|~".utf8)

    /// `url`: the scheme, then one or more characters that are not ICU's `\s` (the Unicode
    /// White_Space property), then the end or one final line terminator. Every line terminator
    /// is white space, so the run of other characters is simply the longest one.
    private static func isURL(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        var i = scalars.startIndex
        for expected in "http".unicodeScalars {
            // `[hH]`: the letter in either case, nothing else (`| 0x20` folds only A–Z onto a–z here).
            guard i < scalars.endIndex, scalars[i].isASCII, scalars[i].value | 0x20 == expected.value else { return false }
            i = scalars.index(after: i)
        }
        if i < scalars.endIndex, scalars[i] == "s" || scalars[i] == "S" { i = scalars.index(after: i) }
        for expected in "://".unicodeScalars {
            guard i < scalars.endIndex, scalars[i] == expected else { return false }
            i = scalars.index(after: i)
        }
        let bodyStart = i
        while i < scalars.endIndex, !isWhiteSpace(scalars[i]) { i = scalars.index(after: i) }
        guard i > bodyStart else { return false }
        let tail = scalars[i...]
        return tail.isEmpty || finalLineTerminators.contains { $0.unicodeScalars.elementsEqual(tail) }
    }

    private static let finalLineTerminators = ["\n", "\r\n", "\r", "\u{B}", "\u{C}", "\u{85}", "\u{2028}", "\u{2029}"]

    /// ICU's `\s`: the Unicode White_Space property (ASCII answered without the table).
    private static func isWhiteSpace(_ s: Unicode.Scalar) -> Bool {
        s.isASCII ? (s.value >= 0x09 && s.value <= 0x0D) || s.value == 0x20 : s.properties.isWhitespace
    }

    private static func isDecimal(_ s: ArraySlice<UInt8>) -> Bool {
        let integer = s.prefix { isDigit($0) }
        guard let first = integer.first, integer.count <= 30, first != 0x30 || integer.count == 1 else { return false }
        let rest = s[integer.endIndex...]
        if rest.isEmpty { return true }
        let fraction = rest.dropFirst()
        return rest.first == 0x2E && (1...18).contains(fraction.count) && fraction.allSatisfy(isDigit)
    }

    private static func isNetwork(_ s: ArraySlice<UInt8>) -> Bool {
        guard let colon = s.firstIndex(of: 0x3A) else { return false }
        let (namespace, reference) = (s[..<colon], s[(colon + 1)...])
        return (3...8).contains(namespace.count) && (1...32).contains(reference.count)
            && namespace.allSatisfy { $0 == 0x2D || isDigit($0) || ($0 >= 0x61 && $0 <= 0x7A) }
            && reference.allSatisfy { $0 == 0x2D || $0 == 0x5F || isDigit($0) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) }
    }
}
