import Foundation
import PurseCore

/// Turns `approval` rows of either backend into `ApprovalRecord`s (see `StoredRow`); an unknown
/// status or a malformed stored account is corruption, named.
enum ApprovalRowDecoder {
    /// Decodes one row of `SELECT * FROM approval`.
    static func record<R: StoredRow>(_ row: R, location: String) throws(LedgerError) -> ApprovalRecord {
        let c = NamedColumns(row: row, location: location, table: "approval")
        let raw = try c.text("status")
        guard let status = ApprovalStatus(rawValue: raw) else { throw c.corrupt("status", raw) }
        func account(_ name: String) throws(LedgerError) -> ChainAccount {
            let text = try c.text(name)
            guard let a = try? ChainAccount(parsing: text) else { throw c.corrupt(name, text) }
            return a
        }
        let terms = ApprovalTerms(host: HostName(try c.text("host")), network: try c.text("network"), asset: try account("asset"),
                                  payTo: try account("pay_to"), payer: try account("payer"), amountAtomic: try c.integer("amount_atomic"))
        let approval = NewApproval(
            id: try c.text("id"), sessionID: try c.text("session_id"), method: try c.text("method"), url: try c.text("url"),
            assetSymbol: try c.text("asset_symbol"), decimals: Int(try c.integer("decimals")), micros: Micros(try c.integer("micros")),
            paymentFlow: try c.text("payment_flow"), terms: terms, expiresAt: LedgerTime.date(try c.integer("expires_at")))
        return ApprovalRecord(approval: approval, createdAt: LedgerTime.date(try c.integer("created_at")), status: status,
                              decidedAt: try c.optionalInteger("decided_at").map(LedgerTime.date),
                              usedAt: try c.optionalInteger("used_at").map(LedgerTime.date), usedNonce: try c.optionalText("used_nonce"))
    }
}
