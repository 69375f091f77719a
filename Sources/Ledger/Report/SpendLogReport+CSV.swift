import Foundation

extension SpendLogReport {
    /// The CSV header, in column order.
    public static let csvColumns = [
        "id", "created_at", "session_id", "host", "method", "url", "amount", "symbol", "amount_atomic", "decimals",
        "micros", "network", "asset", "pay_to", "payer", "status", "tx_hash", "http_status", "error", "nonce",
        "valid_before", "scheme", "x402_version", "updated_at", "max_amount",
    ]

    /// RFC 4180 CSV: a header, then one CRLF-terminated row per payment.
    ///
    /// Fields with commas, quotes or line breaks are quoted (quotes doubled). Cells that a
    /// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) get a
    /// leading `'`; no numeric column can be negative, so no number is altered.
    public func csv() -> String {
        var out = Self.csvColumns.joined(separator: ",") + "\r\n"
        for p in payments {
            let cells: [String] = [
                String(p.id), Self.timestamp(p.createdAt, iso: true), p.sessionID, p.host.name, p.method, p.url,
                Self.amount(p), p.assetSymbol, String(p.amountAtomic), String(p.decimals), String(p.micros.value), p.network,
                p.asset.text, p.payTo.text, p.payer.text, p.status.rawValue, p.txHash ?? "", p.httpStatus.map(String.init) ?? "",
                p.error ?? "", p.authorization.value, String(p.validBefore), p.scheme, String(p.x402Version),
                Self.timestamp(p.updatedAt, iso: true), Self.maxAmount(p) ?? "",
            ]
            out += cells.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// One CSV field, neutralized against formula injection and quoted when needed.
    static func csvField(_ value: String) -> String {
        var v = value
        if let first = v.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) { v = "'" + v }
        if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
