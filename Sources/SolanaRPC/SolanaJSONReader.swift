// Purse — SolanaRPC module (edge): strict reading of the values Solana nodes return.

import PurseCore
import Solana

/// Reads one field of a node's answer, failing with `.badResponse` naming the method and field
/// when it is missing or has another type or range. Nothing is coerced: a number given as a
/// string (or the reverse) is refused, as solders' own parsers refuse it.
struct SolanaJSONReader {
    /// The RPC method, for messages.
    let method: String

    func fail(_ what: String, _ why: String) -> SolanaRPCError {
        .badResponse("\(method): \(what) \(why)")
    }

    func object(_ value: JSONValue?, _ what: String) throws(SolanaRPCError) -> JSONValue {
        guard let value, case .object = value else { throw fail(what, "is \(value?.typeName ?? "missing"), not an object") }
        return value
    }

    func array(_ value: JSONValue?, _ what: String) throws(SolanaRPCError) -> [JSONValue] {
        guard let elements = value?.arrayValue else { throw fail(what, "is \(value?.typeName ?? "missing"), not an array") }
        return elements
    }

    func string(_ value: JSONValue?, _ what: String) throws(SolanaRPCError) -> String {
        guard let text = value?.stringValue else { throw fail(what, "is \(value?.typeName ?? "missing"), not a string") }
        return text
    }

    func bool(_ value: JSONValue?, _ what: String) throws(SolanaRPCError) -> Bool {
        guard let flag = value?.boolValue else { throw fail(what, "is \(value?.typeName ?? "missing"), not a boolean") }
        return flag
    }

    /// A JSON number written as a non-negative integer that fits 64 bits (u64 fields such as
    /// `rentEpoch` reach 2^64 − 1, past what a Double holds exactly).
    func u64(_ value: JSONValue?, _ what: String) throws(SolanaRPCError) -> UInt64 {
        guard case let .number(text)? = value, let n = Self.digits(text) else {
            throw fail(what, "is \(value.map { $0.encoded() } ?? "missing"), not an unsigned 64-bit integer")
        }
        return n
    }

    /// A signed 64-bit integer number (such as `blockTime`).
    func i64(_ value: JSONValue?, _ what: String) throws(SolanaRPCError) -> Int64 {
        guard let n = value?.int64Value else { throw fail(what, "is \(value.map { $0.encoded() } ?? "missing"), not an integer") }
        return n
    }

    /// The value, or nil when it is absent or null.
    func optional<T>(_ value: JSONValue?, _ read: (JSONValue?) throws(SolanaRPCError) -> T) throws(SolanaRPCError) -> T? {
        guard let value, !value.isNull else { return nil }
        return try read(value)
    }

    /// A u64 written as a JSON string of decimal digits (token amounts).
    func u64String(_ value: JSONValue?, _ what: String) throws(SolanaRPCError) -> UInt64 {
        guard let text = value?.stringValue, let n = Self.digits(text) else {
            throw fail(what, "is \(value.map { $0.encoded() } ?? "missing"), not a string of decimal digits")
        }
        return n
    }

    func u8(_ value: JSONValue?, _ what: String) throws(SolanaRPCError) -> UInt8 {
        let n = try u64(value, what)
        guard n <= 255 else { throw fail(what, "is \(n), over 255") }
        return UInt8(n)
    }

    func publicKey(_ value: JSONValue?, _ what: String) throws(SolanaRPCError) -> SolanaPublicKey {
        let text = try string(value, what)
        do { return try SolanaPublicKey(base58: text) } catch { throw fail(what, "is not a public key (\(error.message))") }
    }

    func signature(_ value: JSONValue?, _ what: String) throws(SolanaRPCError) -> SolanaSignature {
        let text = try string(value, what)
        do { return try SolanaSignature(base58: text) } catch { throw fail(what, "is not a signature (\(error.message))") }
    }

    /// `[<base64>, "base64"]`, the binary encoding of account data and transactions.
    func base64Pair(_ value: JSONValue?, _ what: String) throws(SolanaRPCError) -> [UInt8] {
        let pair = try array(value, what)
        guard pair.count == 2, pair[1] == "base64", let text = pair[0].stringValue else {
            throw fail(what, "is not [data, \"base64\"]")
        }
        do { return try Base64.decode(text) } catch { throw fail(what, "is not base64 (\(error.message))") }
    }

    /// The `value` of a `{"context": {"slot": …}, "value": …}` answer.
    func contextValue(_ result: JSONValue) throws(SolanaRPCError) -> JSONValue {
        let context = try object(result["context"], "context")
        _ = try u64(context["slot"], "context.slot")
        guard let value = result["value"] else { throw fail("value", "is missing") }
        return value
    }

    /// Decimal digits without sign, fitting 64 bits.
    static func digits(_ text: String) -> UInt64? {
        guard !text.isEmpty, text.utf8.count <= 20, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return UInt64(text)
    }
}
