import Foundation
import PurseTesting
import Testing
@testable import PurseMCP

/// The hand-written matchers answer as ICU does for their patterns, line-terminator rule included.
@Suite("known schema patterns")
struct KnownPatternTests {
    static func icu(_ text: String, _ pattern: String) throws -> Bool {
        let regex = try NSRegularExpression(pattern: pattern)
        return regex.firstMatch(in: text, options: [], range: NSRange(text.startIndex..., in: text)) != nil
    }

    static let patterns = [KnownPattern.decimal, KnownPattern.digits, KnownPattern.network]

    @Test("edge cases: lengths, leading zeros, separators, trailing line terminators")
    func edges() throws {
        let digits30 = String(repeating: "9", count: 30), digits18 = String(repeating: "1", count: 18)
        var texts = ["", "0", "00", "01", "10", "0.", ".5", "0.5", "1.000", "-1", "1e3", " 1", "1 ", "١",
                     digits30, digits30 + "9", "1." + digits18, "1." + digits18 + "1", digits30 + "." + digits18,
                     "eip155:8453", "eip155:84532", "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", "ab:c", "abc:", ":x",
                     "abcdefghi:x", "abcdefgh:x", "ABC:x", "a_c:x", "abc:x:y", "abc:" + String(repeating: "Z", count: 32),
                     "abc:" + String(repeating: "Z", count: 33), "ab-:_-"]
        for t in Array(texts) {
            for end in ["\n", "\r\n", "\r", "\u{b}", "\u{c}", "\u{85}", "\u{2028}", "\u{2029}", "\n\n", "\r\r", "\u{2027}", "\t"] {
                texts.append(t + end)
            }
        }
        for pattern in Self.patterns {
            for t in texts {
                #expect(KnownPattern.match(t, pattern: pattern) == (try Self.icu(t, pattern)), "\(pattern) on \(t.debugDescription)")
            }
        }
    }

    @Test("random strings over the characters the patterns care about")
    func random() throws {
        var rng = SeededGenerator(state: 42)
        let alphabet: [String] = ["0", "0", "1", "5", "9", "9", "9", ".", ".", ":", "-", "_", "a", "z", "A", "Z", "é", " ",
                                  "\n", "\r", "\u{b}", "\u{c}", "\u{85}", "\u{2028}", "\u{2029}"]
        let regexes = try Self.patterns.map { try NSRegularExpression(pattern: $0) }
        for _ in 0..<4000 {
            let t = (0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            for (pattern, regex) in zip(Self.patterns, regexes) {
                let icu = regex.firstMatch(in: t, options: [], range: NSRange(t.startIndex..., in: t)) != nil
                #expect(KnownPattern.match(t, pattern: pattern) == icu, "\(pattern) on \(t.debugDescription)")
            }
        }
    }

    @Test("any other pattern is not ours to answer")
    func others() {
        #expect(KnownPattern.match("x", pattern: "^https?://") == nil)
    }

    static let requestPatterns = [KnownPattern.url, KnownPattern.headerName, KnownPattern.headerValue]

    /// Every White_Space character, its near misses, and the line terminators, in and after URLs
    /// and header parts.
    @Test("URLs and header parts: white space, near misses and line terminators as ICU answers")
    func requestEdges() throws {
        let spaces = (0x09...0x0D).map { Unicode.Scalar($0)! } + [" ", "\u{1C}", "\u{1F}", "\u{85}", "\u{A0}", "\u{1680}", "\u{180E}",
            "\u{2000}", "\u{200A}", "\u{200B}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}"]
        var texts = ["", "http://", "https://", "http://x", "HTTPS://x", "hTtPs://a.b/c?d#e", "httpss://x", "http:/x", "http//x",
                     "ftp://x", " http://x", "http://x y", "http://ü.example/ä", "ｈttp://x", "http://\u{FF1A}",
                     "Content-Type", "x", String(repeating: "a", count: 256), String(repeating: "a", count: 257), "a b", "a:b",
                     "!#$%&'*+-.^_`|~", "a\"b", "(", "é", "value", "va\u{0}lue", "a\tb"]
        for s in spaces {
            texts += ["http://x\(s)", "http://\(s)x", "http://x\(s)y", "\(s)", "a\(s)"]
        }
        for t in Array(texts) {
            for end in ["\n", "\r\n", "\r", "\u{b}", "\u{c}", "\u{85}", "\u{2028}", "\u{2029}", "\n\n", "\r\r", "\n\r", "\u{2027}", "\t"] {
                texts.append(t + end)
            }
        }
        var compared = 0
        for pattern in Self.requestPatterns {
            for t in texts {
                #expect(KnownPattern.match(t, pattern: pattern) == (try Self.icu(t, pattern)), "\(pattern) on \(t.debugDescription)")
                compared += 1
            }
        }
        #expect(compared == texts.count * 3)
    }

    @Test("random URLs and header parts")
    func requestRandom() throws {
        var rng = SeededGenerator(state: 7)
        let alphabet: [String] = ["h", "H", "t", "T", "p", "P", "s", "S", ":", "/", "/", "a", "-", ".", "?", "#", "é", " ", "\u{A0}",
                                  "\u{2003}", "\u{200B}", "\n", "\r", "\u{b}", "\u{c}", "\u{85}", "\u{2028}", "\t", "!", "|"]
        let regexes = try Self.requestPatterns.map { try NSRegularExpression(pattern: $0) }
        for _ in 0..<4000 {
            let prefix = ["", "http://", "HTTPs://"].randomElement(using: &rng)!
            let t = prefix + (0..<Int.random(in: 0...20, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
            for (pattern, regex) in zip(Self.requestPatterns, regexes) {
                let icu = regex.firstMatch(in: t, options: [], range: NSRange(t.startIndex..., in: t)) != nil
                #expect(KnownPattern.match(t, pattern: pattern) == icu, "\(pattern) on \(t.debugDescription)")
            }
        }
    }
}
