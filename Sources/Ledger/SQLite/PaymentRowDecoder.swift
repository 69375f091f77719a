import Foundation
import GRDB
import PurseCore

/// Turns `payment` rows into `PaymentRecord`s without the Decodable path, for large reads.
///
/// `spend-log` and `report` read every payment in a window: 100,000 rows must decode in well
/// under a second. Codable decoding through GRDB looks each column up by name and casts
/// dynamically, and every row parses three checksummed addresses (a Keccak-256 each) that are
/// nearly always the same few; so this decoder finds the column indexes once, reads values by
/// index, and remembers the addresses it has parsed. It accepts exactly what the ledger writes
/// and reports anything else as a corrupt row, naming the column. Every stored field is read:
/// `LedgerTests` round-trips a row with all of them set through `payments` and `payment(id:)`.
struct PaymentRowDecoder {
    private var indexes: [String: Int] = [:]
    private var addresses: [String: Address] = [:]

    /// Decodes one row of `SELECT * FROM payment`.
    mutating func record(_ row: Row) throws -> PaymentRecord {
        if indexes.isEmpty {
            for (i, name) in row.columnNames.enumerated() { indexes[name] = i }
        }
        let statusText: String = try value(row, "status")
        guard let status = PaymentStatus(rawValue: statusText) else { throw Self.corrupt("status", statusText) }
        let nonceText: String = try value(row, "nonce")
        guard let nonce = try? Nonce32(hex: nonceText) else { throw Self.corrupt("nonce", nonceText) }
        let sessionID: String = try value(row, "session_id")
        let method: String = try value(row, "method")
        let url: String = try value(row, "url")
        let host: String = try value(row, "host")
        let network: String = try value(row, "network")
        let asset = try address(row, "asset")
        let symbol: String = try value(row, "asset_symbol")
        let decimals: Int = try value(row, "decimals")
        let payTo = try address(row, "pay_to")
        let atomic: Int64 = try value(row, "amount_atomic")
        let micros: Int64 = try value(row, "micros")
        let scheme: String = try value(row, "scheme")
        let version: Int = try value(row, "x402_version")
        let validBefore: Int64 = try value(row, "valid_before")
        let payer = try address(row, "payer")
        let id: Int64 = try value(row, "id")
        let created: Int64 = try value(row, "created_at")
        let updated: Int64 = try value(row, "updated_at")
        let txHash: String? = try optional(row, "tx_hash")
        let error: String? = try optional(row, "error")
        let httpStatus: Int? = try optional(row, "http_status")
        let paymentId: String? = try optional(row, "payment_id")
        let resource: String? = try optional(row, "resource")
        let offer: String? = try optional(row, "offer")
        let signedPayload: String? = try optional(row, "signed_payload")
        let receipt: String? = try optional(row, "receipt")
        let payment = NewPayment(
            sessionID: sessionID, method: method, url: url, host: HostName(host), network: network, asset: asset,
            assetSymbol: symbol, decimals: decimals, payTo: payTo, amountAtomic: atomic, micros: Micros(micros), scheme: scheme,
            x402Version: version, nonce: nonce, validBefore: validBefore, payer: payer, paymentId: paymentId,
            resource: resource, offer: offer)
        return PaymentRecord(id: id, payment: payment, createdAt: SQLiteLedger.date(created), updatedAt: SQLiteLedger.date(updated),
                             status: status, txHash: txHash, error: error, httpStatus: httpStatus,
                             signedPayload: signedPayload, receipt: receipt)
    }

    // Values are read with GRDB's statement fast path (`StatementColumnConvertible`), straight
    // from SQLite's column API without an intermediate `DatabaseValue`.
    private func value<T: DatabaseValueConvertible & StatementColumnConvertible>(_ row: Row, _ column: String) throws -> T {
        guard let v: T = try optional(row, column) else { throw Self.corrupt(column, "NULL") }
        return v
    }

    private func optional<T: DatabaseValueConvertible & StatementColumnConvertible>(_ row: Row, _ column: String) throws -> T? {
        guard let i = indexes[column] else { throw Self.corrupt(column, "missing column") }
        return row[i]
    }

    private mutating func address(_ row: Row, _ column: String) throws -> Address {
        let text: String = try value(row, column)
        if let known = addresses[text] { return known }
        guard let parsed = try? Address(parsing: text) else { throw Self.corrupt(column, text) }
        if addresses.count < 4_096 { addresses[text] = parsed }
        return parsed
    }

    private static func corrupt(_ column: String, _ value: String) -> DatabaseError {
        DatabaseError(resultCode: .SQLITE_CORRUPT, message: "payment.\(column) holds \(value.prefix(80)), which the ledger never writes")
    }
}
