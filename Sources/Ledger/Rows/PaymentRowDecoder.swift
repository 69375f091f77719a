import Foundation
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
/// Both backends use it (`StoredRow`): SQLite's GRDB rows and PostgreSQL's text rows.
struct PaymentRowDecoder {
    /// Where the rows come from, for the corruption message.
    let location: String
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

    init(location: String) { self.location = location }

    /// Decodes one row of `SELECT * FROM payment`.
    mutating func record<R: StoredRow>(_ row: R) throws(LedgerError) -> PaymentRecord {
        if index.isEmpty {
            for (i, name) in row.storedColumns.enumerated() { columns[name] = i }
            index = Column.allCases.map { columns[$0.name] ?? -1 }
        }
        let statusText = try text(row, .status)
        guard let status = PaymentStatus(rawValue: statusText) else { throw corrupt(Column.status.name, statusText) }
        let nonceText = try text(row, .nonce)
        let kind = try optionalText(row, .authorizationKind)
        guard let authorization = try? AuthorizationReference(kind: kind, value: nonceText) else {
            throw corrupt(Column.nonce.name, "\(kind ?? "eip3009"):\(nonceText)")
        }
        let sessionID = try text(row, .sessionId)
        let method = try text(row, .method)
        let url = try text(row, .url)
        let host = try text(row, .host)
        let network = try text(row, .network)
        let asset = try address(row, .asset)
        let symbol = try text(row, .assetSymbol)
        let decimals = Int(try integer(row, .decimals))
        let payTo = try address(row, .payTo)
        let atomic = try integer(row, .amountAtomic)
        let micros = try integer(row, .micros)
        let scheme = try text(row, .scheme)
        let version = Int(try integer(row, .x402Version))
        let validBefore = try integer(row, .validBefore)
        let payer = try address(row, .payer)
        let id = try integer(row, .id)
        let created = try integer(row, .createdAt)
        let updated = try integer(row, .updatedAt)
        let txHash = try optionalText(row, .txHash)
        let error = try optionalText(row, .error)
        let httpStatus = try optionalInteger(row, .httpStatus).map { Int($0) }
        let paymentId = try optionalText(row, .paymentId)
        let resource = try optionalText(row, .resource)
        let offer = try optionalText(row, .offer)
        let signedPayload = try optionalText(row, .signedPayload)
        let receipt = try optionalText(row, .receipt)
        let maxAtomic = try optionalInteger(row, .maxAmountAtomic)
        let sourceText = try optionalText(row, .amountSource)
        var source: SettledCharge.Source?
        if let sourceText {
            guard let s = SettledCharge.Source(rawValue: sourceText) else { throw corrupt(Column.amountSource.name, sourceText) }
            source = s
        }
        let note = try optionalText(row, .amountNote)
        let payment = NewPayment(
            sessionID: sessionID, method: method, url: url, host: HostName(host), network: network, asset: asset,
            assetSymbol: symbol, decimals: decimals, payTo: payTo, amountAtomic: atomic, micros: Micros(micros), scheme: scheme,
            x402Version: version, authorization: authorization, validBefore: validBefore, payer: payer, maxAmountAtomic: maxAtomic,
            paymentId: paymentId, resource: resource, offer: offer)
        return PaymentRecord(id: id, payment: payment, createdAt: LedgerTime.date(created), updatedAt: LedgerTime.date(updated),
                             status: status, txHash: txHash, error: error, httpStatus: httpStatus,
                             signedPayload: signedPayload, receipt: receipt, amountSource: source, amountNote: note)
    }

    private func text<R: StoredRow>(_ row: R, _ c: Column) throws(LedgerError) -> String {
        guard let v = try optionalText(row, c) else { throw corrupt(c.name, "NULL") }
        return v
    }

    private func optionalText<R: StoredRow>(_ row: R, _ c: Column) throws(LedgerError) -> String? {
        let i = index[c.rawValue]
        guard i >= 0 else { throw corrupt(c.name, "missing column") }
        return try row.text(at: i)
    }

    private func integer<R: StoredRow>(_ row: R, _ c: Column) throws(LedgerError) -> Int64 {
        guard let v = try optionalInteger(row, c) else { throw corrupt(c.name, "NULL") }
        return v
    }

    private func optionalInteger<R: StoredRow>(_ row: R, _ c: Column) throws(LedgerError) -> Int64? {
        let i = index[c.rawValue]
        guard i >= 0 else { throw corrupt(c.name, "missing column") }
        return try row.integer(at: i)
    }

    private mutating func address<R: StoredRow>(_ row: R, _ c: Column) throws(LedgerError) -> ChainAccount {
        let text = try text(row, c)
        if let known = accounts[text] { return known }
        guard let parsed = try? ChainAccount(parsing: text) else { throw corrupt(c.name, text) }
        if accounts.count < 4_096 { accounts[text] = parsed }
        return parsed
    }

    private func corrupt(_ column: String, _ value: String) -> LedgerError {
        .corrupt(path: location, detail: "payment.\(column) holds \(value.prefix(80)), which the ledger never writes")
    }
}
