// MCPUpstream: Purse's MCP client, for the upstream servers whose tools it pays for.

/// Splits a byte stream into newline-delimited frames with a cap, without ever buffering more
/// than the cap: a longer line is counted and dropped, keeping only its first and last bytes
/// (where a JSON-RPC response's `id` is found), so an upstream that sends 20 MiB in one line
/// costs a bounded amount of memory and the request it answers still fails at once.
public struct LineSplitter: Sendable {
    /// One complete frame.
    public enum Frame: Sendable, Equatable {
        /// A line of at most `maxLineBytes` bytes (without its newline, CR and outer blanks).
        case line([UInt8])
        /// A longer line: its length and its first and last bytes.
        case oversized(length: Int, head: [UInt8], tail: [UInt8])
    }

    /// How many leading and trailing bytes of an oversized line are kept.
    public static let keptBytes = 4_096

    /// The longest line kept whole.
    public let maxLineBytes: Int
    private var partial: [UInt8] = []
    private var skipping: (length: Int, head: [UInt8], tail: [UInt8])?

    /// Creates a splitter for lines of at most `maxLineBytes` bytes.
    public init(maxLineBytes: Int) {
        precondition(maxLineBytes > 0)
        self.maxLineBytes = maxLineBytes
    }

    /// Feeds a chunk; returns the frames it completed, in order.
    public mutating func feed(_ chunk: some Collection<UInt8>) -> [Frame] {
        var out = [Frame]()
        var rest = chunk[...]
        while let nl = rest.firstIndex(of: 0x0A) {
            take(rest[rest.startIndex..<nl])
            if let frame = finishLine() { out.append(frame) }
            rest = rest[rest.index(after: nl)...]
        }
        take(rest)
        return out
    }

    /// Ends the stream: a last line without a newline is still a frame.
    public mutating func finish() -> Frame? {
        finishLine()
    }

    private mutating func take(_ bytes: some Collection<UInt8>) {
        guard !bytes.isEmpty else { return }
        if var s = skipping {
            s.length += bytes.count
            s.tail = Array((s.tail + bytes).suffix(Self.keptBytes))
            skipping = s
        } else if partial.count + bytes.count > maxLineBytes {
            let all = partial + bytes
            skipping = (all.count, Array(all.prefix(Self.keptBytes)), Array(all.suffix(Self.keptBytes)))
            partial = []
        } else {
            partial.append(contentsOf: bytes)
        }
    }

    private mutating func finishLine() -> Frame? {
        if let s = skipping {
            skipping = nil
            return .oversized(length: s.length, head: s.head, tail: s.tail)
        }
        var line = partial[...]
        partial = []
        while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 { line.removeLast() }
        while let first = line.first, first == 0x20 || first == 0x09 { line.removeFirst() }
        return line.isEmpty ? nil : .line(Array(line))
    }
}
