/// Exact conversion between atomic token integers and decimal text such as `0.01`.
///
/// Amounts never pass through floating point: `10000` atomic units of a 6-decimal token
/// are `"0.01"`, computed digit by digit. The parser is strict so that a typo in a config file
/// (`1e3`, `-5`, `0.0000001` for USDC) is an error rather than a different amount.
public enum AmountFormat {
    /// The largest number of decimals accepted by the parser (ERC-20 tokens use up to 18; 36 leaves room).
    public static let maxDecimals = 36

    /// Formats an atomic amount as decimal text in whole-token units.
    ///
    /// - Parameters:
    ///   - atomic: the amount in the token's smallest unit; a negative amount gets a leading `-`.
    ///   - decimals: the token's decimals (a negative value is treated as 0).
    ///   - minFractionDigits: pad the fraction with zeros to at least this many digits (default 0:
    ///     the shortest exact form, `"1"`, `"0.01"`). Trailing zeros beyond it are trimmed.
    /// - Returns: text such as `"0.01"`, `"12.5"` or, with `minFractionDigits: 2`, `"12.50"`.
    public static func decimalString(atomic: Int64, decimals: Int, minFractionDigits: Int = 0) -> String {
        let decimals = max(0, decimals)
        let negative = atomic < 0
        let digits = Array(String(atomic.magnitude).utf8)
        var intPart: [UInt8]
        var fracPart: [UInt8]
        if digits.count > decimals {
            intPart = Array(digits[..<(digits.count - decimals)])
            fracPart = Array(digits[(digits.count - decimals)...])
        } else {
            intPart = [0x30]
            fracPart = [UInt8](repeating: 0x30, count: decimals - digits.count) + digits
        }
        while let last = fracPart.last, last == 0x30, fracPart.count > minFractionDigits { fracPart.removeLast() }
        while fracPart.count < minFractionDigits { fracPart.append(0x30) }
        if intPart.isEmpty { intPart = [0x30] }
        var out = negative && atomic != 0 ? "-" : ""
        out += String(decoding: intPart, as: UTF8.self)
        if !fracPart.isEmpty { out += "." + String(decoding: fracPart, as: UTF8.self) }
        return out
    }

    /// Parses decimal text in whole-token units into an atomic amount.
    ///
    /// Accepted: ASCII digits with at most one `.` that has a digit on each side (`"0.01"`, `"5"`).
    /// Refused: empty text, signs, exponents, spaces, `".5"`, `"5."`, more fraction digits than
    /// `decimals`, and results above `Int64.max`.
    ///
    /// - Throws: `AmountFormatError`.
    public static func atomic(fromDecimal text: String, decimals: Int) throws(AmountFormatError) -> Int64 {
        guard (0...maxDecimals).contains(decimals) else { throw .badDecimals(decimals) }
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .empty }
        var intDigits: [UInt8] = []
        var fracDigits: [UInt8] = []
        var seenDot = false
        for b in bytes {
            switch b {
            case 0x30...0x39:
                if seenDot { fracDigits.append(b - 0x30) } else { intDigits.append(b - 0x30) }
            case 0x2e where !seenDot:
                seenDot = true
            default:
                throw .invalid(text)
            }
        }
        guard !intDigits.isEmpty, !seenDot || !fracDigits.isEmpty else { throw .invalid(text) }
        guard fracDigits.count <= decimals else { throw .tooPrecise(text, decimals: decimals) }
        let all = intDigits + fracDigits + [UInt8](repeating: 0, count: decimals - fracDigits.count)
        var value: Int64 = 0
        for d in all {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { throw .overflow(text) }
            value = s
        }
        return value
    }
}

/// Why decimal amount text could not be parsed.
public enum AmountFormatError: CodedError, Equatable {
    /// The text is empty.
    case empty
    /// The text is not plain digits with an optional single inner `.`.
    case invalid(String)
    /// The text has more fraction digits than the token's decimals.
    case tooPrecise(String, decimals: Int)
    /// The amount does not fit in a signed 64-bit integer of atomic units.
    case overflow(String)
    /// The decimals are outside 0...36.
    case badDecimals(Int)

    public var code: String {
        switch self {
        case .empty: "amount.empty"
        case .invalid: "amount.invalid"
        case .tooPrecise: "amount.too_precise"
        case .overflow: "amount.overflow"
        case .badDecimals: "amount.bad_decimals"
        }
    }

    public var message: String {
        switch self {
        case .empty: "the amount is empty"
        case let .invalid(t): "\"\(t)\" is not a plain decimal amount (digits with an optional single '.', no sign or exponent)"
        case let .tooPrecise(t, d): "\"\(t)\" has more than \(d) digits after the point"
        case let .overflow(t): "\"\(t)\" is too large"
        case let .badDecimals(d): "token decimals must be between 0 and \(AmountFormat.maxDecimals), got \(d)"
        }
    }
}
