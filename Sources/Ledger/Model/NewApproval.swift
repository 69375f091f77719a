import Foundation
import PurseCore

/// A payment waiting for a human's approval from the terminal, as the wallet files it.
///
/// The row keeps what the human is shown (`purse approvals`, `purse approve`) and the terms the
/// later payment is held to. Money is an integer in the token's smallest unit, times are UTC.
@dynamicMemberLookup
public struct NewApproval: Sendable, Equatable {
    /// The id the human types: `apr_` and 24 lower-case hex characters (96 random bits).
    public var id: String
    /// The session that asked.
    public var sessionID: String
    /// The HTTP method of the request that asked for the payment.
    public var method: String
    /// The URL that asked for the payment.
    public var url: String
    /// The token's display symbol, such as `USDC`.
    public var assetSymbol: String
    /// The token's decimals (0...36).
    public var decimals: Int
    /// The price in budget units (for display next to the budgets).
    public var micros: Micros
    /// The x402 payment flow of the offer (`authorization` when the seller names none).
    public var paymentFlow: String
    /// What the later payment is held to.
    public var terms: ApprovalTerms
    /// When the approval stops being usable.
    public var expiresAt: Date

    /// Creates an approval request.
    public init(id: String, sessionID: String, method: String, url: String, assetSymbol: String, decimals: Int, micros: Micros,
                paymentFlow: String, terms: ApprovalTerms, expiresAt: Date) {
        self.id = id
        self.sessionID = sessionID
        self.method = method
        self.url = url
        self.assetSymbol = assetSymbol
        self.decimals = decimals
        self.micros = micros
        self.paymentFlow = paymentFlow
        self.terms = terms
        self.expiresAt = expiresAt
    }

    /// A term, read through `terms`.
    public subscript<T>(dynamicMember field: KeyPath<ApprovalTerms, T>) -> T { terms[keyPath: field] }

    /// The amount as decimal text in whole tokens (`0.01`).
    public var amountText: String { AmountFormat.decimalString(atomic: terms.amountAtomic, decimals: decimals) }

    /// A new approval id: `apr_` and 24 random hex characters.
    public static func newID() -> String {
        var rng = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        while bytes.count < 12 { withUnsafeBytes(of: rng.next() as UInt64) { bytes.append(contentsOf: $0) } }
        return "apr_" + Hex.encode(Array(bytes.prefix(12)), prefix: false)
    }

    /// Whether `text` has the shape of an approval id (it may still name no approval).
    public static func isWellFormedID(_ text: String) -> Bool {
        guard text.hasPrefix("apr_"), text.count == 28 else { return false }
        return text.dropFirst(4).allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }
}
