import PurseCore
import X402

/// What became of a `sign-in-with-x` challenge during a call, for the result and the logs.
public enum SignInNote: Sendable, Equatable {
    /// The server let the wallet in with the signed sign-in; nothing was paid.
    case signedIn(address: Address, chain: String)
    /// Purse would sign in first (a dry run stops there and signs nothing).
    case wouldSignIn(chain: String)
    /// Purse signed, but the server still asked for payment.
    case notAccepted(status: Int?)
    /// Purse refused to sign the challenge (another origin or chain, expired, malformed).
    case refused(SignInRefusal)
    /// The challenge could not be read.
    case unreadable(X402Error)
    /// The ledger shows no settled payment of this wallet for this resource: nothing to sign in with.
    case notPaidBefore
    /// `payment.signIn` is false, or the channel cannot carry a sign-in.
    case disabled
    /// Signing or the ledger lookup failed; Purse went on without signing in.
    case failed(FlowRefusal)

    /// The JSON status word.
    public var status: String {
        switch self {
        case .signedIn: "signed_in"
        case .wouldSignIn: "would_sign_in"
        case .notAccepted: "not_accepted"
        case .refused: "refused"
        case .unreadable: "unreadable"
        case .notPaidBefore: "not_paid_before"
        case .disabled: "disabled"
        case .failed: "failed"
        }
    }

    /// `{status, code?, message?, address?, chain?}`.
    public var json: JSONValue {
        var o: JSONObject = ["status": .string(status)]
        switch self {
        case let .signedIn(address, chain):
            o["address"] = .string(address.checksummed)
            o["chain"] = .string(chain)
        case let .wouldSignIn(chain): o["chain"] = .string(chain)
        case let .notAccepted(status):
            o["message"] = .string("the server answered the signed sign-in with \(status.map { "HTTP \($0)" } ?? "another 402"); Purse went on to pay")
        case let .refused(r):
            o["code"] = .string(r.code)
            o["message"] = .string(r.message)
        case let .unreadable(e):
            o["code"] = .string(e.code)
            o["message"] = .string(e.message)
        case .notPaidBefore: o["message"] = "this wallet has no settled payment for this resource to sign in with"
        case .disabled: o["message"] = "sign-in is turned off (payment.signIn)"
        case let .failed(e):
            o["code"] = .string(e.code)
            o["message"] = .string(e.message)
        }
        return .object(o)
    }
}
