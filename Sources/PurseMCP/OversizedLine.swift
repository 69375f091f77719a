// PurseMCP: the MCP face of the Purse wallet.

/// An input line that went over the transport's limit: its first bytes (to find its request id)
/// and its length so far. The rest of the line is counted and dropped, never buffered, so a
/// client cannot make the server hold more than `maxLineBytes` plus one read per line.
struct OversizedLine {
    /// How many of the line's first bytes are kept: enough for the `jsonrpc`, `id` and `method`
    /// members that clients write before `params`.
    static let prefixLimit = 4096

    /// The line's first bytes, at most `prefixLimit`.
    private(set) var prefix: [UInt8]
    /// The line's length so far, without its newline.
    private(set) var length: Int

    /// A line made of `head` (bytes buffered earlier) followed by `tail`.
    init(_ head: [UInt8], _ tail: ArraySlice<UInt8>) {
        prefix = Array(head.prefix(Self.prefixLimit))
        length = head.count
        add(tail)
    }

    /// Counts more of the line, keeping what still fits in the prefix.
    mutating func add(_ bytes: ArraySlice<UInt8>) {
        if prefix.count < Self.prefixLimit {
            prefix.append(contentsOf: bytes.prefix(Self.prefixLimit - prefix.count))
        }
        length += bytes.count
    }
}
