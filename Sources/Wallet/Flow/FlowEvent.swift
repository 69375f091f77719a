import HTTP
import PurseCore

/// What happened when the driver carried out the last action.
public enum FlowEvent: Sendable {
    /// A response arrived.
    case response(HTTPResponse)
    /// The request failed in transport.
    case transportFailed(HTTPError)
    /// The ledger reserved the amount; the row is committed.
    case reserved
    /// The ledger refused (a budget would be crossed) or failed.
    case reservationRefused(any CodedError)
    /// The human approved.
    case approved
    /// The human declined, the question timed out, or approval is impossible; the text says which.
    case declined(code: String, reason: String)
    /// The authorization was signed: 0x-hex of the 65-byte signature.
    case signed(String)
    /// Signing failed.
    case signingFailed(any CodedError)
}
