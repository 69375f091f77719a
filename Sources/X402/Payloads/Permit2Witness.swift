import PurseCore

/// The witness of an x402 Permit2 transfer: who receives the tokens, and for `upto` who may
/// settle. It is signed with the permit, so the proxy cannot send the tokens anywhere else.
public enum Permit2Witness: Sendable, Equatable {
    /// `exact`: `Witness(address to,uint256 validAfter)`.
    case exact(to: Address, validAfter: Int64)
    /// `upto`: `Witness(address to,address facilitator,uint256 validAfter)`.
    case upto(to: Address, facilitator: Address, validAfter: Int64)

    /// The recipient.
    public var to: Address {
        switch self {
        case let .exact(to, _), let .upto(to, _, _): to
        }
    }

    /// The Unix second from which the transfer may settle.
    public var validAfter: Int64 {
        switch self {
        case let .exact(_, v), let .upto(_, _, v): v
        }
    }
}
