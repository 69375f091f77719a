import Foundation
import GRDB
import PurseCore

/// Turns `payment` rows into `PaymentRecord`s without the Decodable path, for large reads.
///
/// `spend-log` and `report` read every payment in a window: 100,000 rows must decode in well
/// under a second. Codable decoding through GRDB looks each column up by name and casts
/// dynamically, and every row parses three accounts (an EVM address's checksum is a Keccak-256)
/// that are nearly always the same few; so this decoder finds the column indexes once, reads
/// values by index, and remembers the accounts it has parsed. It accepts exactly what the ledger writes
/// and reports anything else as a corrupt row, naming the column. Every stored field is read:
/// `LedgerTests` round-trips a row with all of them set through `payments` and `payment(id:)`.
struct PaymentRowDecoder {
    private var columns: [String: Int] = [:]
    /// Each column's index in row order, looked up once per read (by name, so a reordered or
    /// widened `SELECT *` still decodes), then used by position for every row.
    private var index: [Int] = []
    private var accounts: [String: ChainAccount] = [:]

    /// The columns read; `index[column.rawValue]` is where each sits in the row.
    private enum Column: Int, CaseIterable {
        case status, nonce, sessionId, method, url, host, network, asset, assetSymbol, decimals
        case payTo, amountAtomic, micros, scheme, x402Version, validBefore, payer, id, createdAt, updatedAt
        case txHash, error, httpStatus, paymentId, resource, offer, signedPayload, receipt
        case authorizationKind, maxAmountAtomic, amountSource, amountNote

        /// The column's name in the `payment` table.
        var name: String { Self.names[rawValue] }
        static let names = [
            "status", "nonce", "session_id", "method", "url", "host", "network", "asset", "asset_symbol", "decimals",
            "pay_to", "amount_atomic", "micros", "scheme", "x402_version", "valid_before", "payer", "id", "created_at", "updated_at",
            "tx_hash", "error", "http_status", "payment_id", "resource", "offer", "signed_payload", "receipt",
            "authorization_kind", "max_amount_atomic", "amount_source", "amount_note",
        ]
    }

    /// Decodes one row of `SELECT * FROM payment`.
    mutating func record(_ row: Row) throws -> PaymentRecord {
        if index.isEmpty {
            for (i, name) in row.columnNames.enumerated() { columns[name] = i }
            index = Column.allCases.map { columns[$0.name] ?? -1 }
        }
        let statusText: String = try value(row, .status)
        guard let status = PaymentStatus(rawValue: statusText) else { throw Self.corrupt(Column.status.name, statusText) }
        let nonceText: String = try value(row, .nonce)
        let kind: String? = try optional(row, .authorizationKind)
        guard let authorization = try? AuthorizationReference(kind: kind, value: nonceText) else {
            throw Self.corrupt(Column.nonce.name, "\(kind ?? "eip3009"):\(nonceText)")
        }
        let sessionID: String = try value(row, .sessionId)
        let method: String = try value(row, .method)
        let url: String = try value(row, .url)
        let host: String = try value(row, .host)
        let network: String = try value(row, .network)
        let asset = try address(row, .asset)
        let symbol: String = try value(row, .assetSymbol)
        let decimals: Int = try value(row, .decimals)
        let payTo = try address(row, .payTo)
        let atomic: Int64 = try value(row, .amountAtomic)
        let micros: Int64 = try value(row, .micros)
        let scheme: String = try value(row, .scheme)
        let version: Int = try value(row, .x402Version)
        let validBefore: Int64 = try value(row, .validBefore)
        let payer = try address(row, .payer)
        let id: Int64 = try value(row, .id)
        let created: Int64 = try value(row, .createdAt)
        let updated: Int64 = try value(row, .updatedAt)
        let txHash: String? = try optional(row, .txHash)
        let error: String? = try optional(row, .error)
        let httpStatus: Int? = try optional(row, .httpStatus)
        let paymentId: String? = try optional(row, .paymentId)
        let resource: String? = try optional(row, .resource)
        let offer: String? = try optional(row, .offer)
        let signedPayload: String? = try optional(row, .signedPayload)
        let receipt: String? = try optional(row, .receipt)
        let maxAtomic: Int64? = try optional(row, .maxAmountAtomic)
        let sourceText: String? = try optional(row, .amountSource)
        var source: SettledCharge.Source?
        if let sourceText {
            guard let s = SettledCharge.Source(rawValue: sourceText) else { throw Self.corrupt(Column.amountSource.name, sourceText) }
            source = s
        }
        let note: String? = try optional(row, .amountNote)
        let payment = NewPayment(
            sessionID: sessionID, method: method, url: url, host: HostName(host), network: network, asset: asset,
            assetSymbol: symbol, decimals: decimals, payTo: payTo, amountAtomic: atomic, micros: Micros(micros), scheme: scheme,
            x402Version: version, authorization: authorization, validBefore: validBefore, payer: payer, maxAmountAtomic: maxAtomic,
            paymentId: paymentId, resource: resource, offer: offer)
        return PaymentRecord(id: id, payment: payment, createdAt: SQLiteLedger.date(created), updatedAt: SQLiteLedger.date(updated),
                             status: status, txHash: txHash, error: error, httpStatus: httpStatus,
                             signedPayload: signedPayload, receipt: receipt, amountSource: source, amountNote: note)
    }

    // Values are read with GRDB's statement fast path (`StatementColumnConvertible`), straight
    // from SQLite's column API without an intermediate `DatabaseValue`.
    private func value<T: DatabaseValueConvertible & StatementColumnConvertible>(_ row: Row, _ c: Column) throws -> T {
        guard let v: T = try optional(row, c) else { throw Self.corrupt(c.name, "NULL") }
        return v
    }

    private func optional<T: DatabaseValueConvertible & StatementColumnConvertible>(_ row: Row, _ c: Column) throws -> T? {
        let i = index[c.rawValue]
        guard i >= 0 else { throw Self.corrupt(c.name, "missing column") }
        return row[i]
    }

    private mutating func address(_ row: Row, _ c: Column) throws -> ChainAccount {
        let text: String = try value(row, c)
        if let known = accounts[text] { return known }
        guard let parsed = try? ChainAccount(parsing: text) else { throw Self.corrupt(c.name, text) }
        if accounts.count < 4_096 { accounts[text] = parsed }
        return parsed
    }

    private static func corrupt(_ column: String, _ value: String) -> DatabaseError {
        DatabaseError(resultCode: .SQLITE_CORRUPT, message: "payment.\(column) holds \(value.prefix(80)), which the ledger never writes")
    }
}
