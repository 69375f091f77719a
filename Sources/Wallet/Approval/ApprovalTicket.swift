import Foundation
import Ledger
import PurseCore

/// A payment waiting for the human at the terminal: what the agent is told to pass on.
///
/// `paid_fetch` (and `purse fetch`) return it as `approval` with outcome `approval_required`
/// when the client cannot ask the human itself. The human runs `command`; the agent then repeats
/// the call with `approval_id` set to `id`.
public struct ApprovalTicket: Sendable, Equatable {
    /// The approval id (`apr_…`).
    public var id: String
    /// When it stops being usable.
    public var expiresAt: Date
    /// The approved maximum as decimal text in whole tokens (`0.01`).
    public var amount: String
    /// The token's symbol.
    public var symbol: String
    /// The CAIP-2 network.
    public var network: String
    /// The payee.
    public var payTo: String
    /// The host that asked for the payment.
    public var host: String
    /// The URL that asked for the payment.
    public var url: String

    /// The ticket for a stored approval.
    public init(_ record: ApprovalRecord) {
        id = record.id
        expiresAt = record.expiresAt
        amount = record.approval.amountText
        symbol = record.assetSymbol
        network = record.network
        payTo = record.payTo.text
        host = record.host.name
        url = record.url
    }

    /// The command the human runs.
    public var command: String { "purse approve \(id)" }

    /// `{id, command, expiresAt, amount, symbol, network, payTo, host, url}`.
    public func json() -> JSONValue {
        [
            "id": .string(id), "command": .string(command), "expiresAt": .string(ApprovalError.timestamp(expiresAt)),
            "amount": .string(amount), "symbol": .string(symbol), "network": .string(network), "payTo": .string(payTo),
            "host": .string(host), "url": .string(url),
        ]
    }
}
