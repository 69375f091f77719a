/// Splits `--password-command "pass show purse/key"` into argv words, so that the config can
/// store an array and Purse never needs a shell.
///
/// Rules (a small, predictable subset of POSIX shell quoting, with no expansion of any kind):
/// white space separates words; `'…'` keeps everything literally; `"…"` keeps everything but
/// lets `\\"` and `\\\\` stand for `"` and `\\`; outside quotes `\\` makes the next character literal.
public enum CommandWords {
    /// The words, or nil when a quote is not closed or a `\\` ends the text.
    public static func split(_ text: String) -> [String]? {
        var words = [String]()
        var current = ""
        var inWord = false
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            switch c {
            case " ", "\t", "\n":
                if inWord { words.append(current); current = ""; inWord = false }
            case "'":
                inWord = true
                var closed = false
                while let q = iterator.next() {
                    if q == "'" { closed = true; break }
                    current.append(q)
                }
                if !closed { return nil }
            case "\"":
                inWord = true
                var closed = false
                while let q = iterator.next() {
                    if q == "\"" { closed = true; break }
                    if q == "\\" {
                        guard let next = iterator.next() else { return nil }
                        if next != "\"" && next != "\\" { current.append("\\") }
                        current.append(next)
                    } else {
                        current.append(q)
                    }
                }
                if !closed { return nil }
            case "\\":
                guard let next = iterator.next() else { return nil }
                inWord = true
                current.append(next)
            default:
                inWord = true
                current.append(c)
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
