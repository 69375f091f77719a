// Purse ChainRPC module: the hex forms Ethereum JSON-RPC uses.

import PurseCore

/// Encoding and checking of JSON-RPC quantities, data, addresses and 32-byte words.
enum EthHex {
    /// A quantity: `0x` then the value in hex without leading zeros (`0x0` for zero).
    static func quantity(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

    /// Parses a quantity string (leading zeros tolerated); nil if malformed or over 64 bits.
    static func parseQuantity(_ value: JSONValue?) -> UInt64? {
        guard let text = value?.stringValue, text.hasPrefix("0x") || text.hasPrefix("0X") else { return nil }
        var digits = Substring(text.dropFirst(2))
        guard !digits.isEmpty, digits.allSatisfy(\.isHexDigit) else { return nil }
        while digits.count > 1, digits.first == "0" { digits = digits.dropFirst() }
        return UInt64(digits, radix: 16)
    }

    /// Parses `0x`-prefixed data of any (or exactly `length`) bytes; nil if malformed.
    static func parseData(_ value: JSONValue?, length: Int? = nil) -> [UInt8]? {
        guard let text = value?.stringValue, text.hasPrefix("0x") || text.hasPrefix("0X") else { return nil }
        return try? Hex.decode(text, length: length)
    }

    /// A `0x` address (any letter case; checksums are not verified here, as nodes do not either).
    static func address(_ text: String, _ what: String) throws(ChainRPCError) -> Address {
        guard text.hasPrefix("0x") || text.hasPrefix("0X"), let bytes = try? Hex.decode(text, length: 20),
              let address = try? Address(bytes: bytes)
        else {
            throw .invalidArgument("\(what) must be 0x and 40 hex digits, got '\(text)'")
        }
        return address
    }

    /// The 32 bytes of a `0x` word (a topic, a hash).
    static func word(_ text: String, _ what: String) throws(ChainRPCError) -> [UInt8] {
        guard text.hasPrefix("0x") || text.hasPrefix("0X"), let bytes = try? Hex.decode(text, length: 32) else {
            throw .invalidArgument("\(what) must be 0x and 64 hex digits, got '\(text)'")
        }
        return bytes
    }
}
