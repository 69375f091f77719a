/// A value as a ledger row stores it: text, an integer (money, times, counts) or NULL. SQLite
/// binds it with its type (`DirectStatement`), PostgreSQL sends its text.
enum StoredValue: Equatable, Sendable {
    case text(String)
    case integer(Int64)
    case null

    /// Text, or NULL for nil.
    init(_ s: String?) { self = s.map(StoredValue.text) ?? .null }

    /// An integer, or NULL for nil.
    init<I: BinaryInteger>(_ n: I?) { self = n.map { .integer(Int64($0)) } ?? .null }

    /// The value as PostgreSQL's text protocol sends it (nil for NULL).
    var text: String? {
        switch self {
        case let .text(s): s
        case let .integer(n): String(n)
        case .null: nil
        }
    }
}
