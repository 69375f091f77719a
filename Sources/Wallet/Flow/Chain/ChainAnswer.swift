/// The chain's answer to a `ChainQuestion`, case for case.
public enum ChainAnswer: Sendable, Equatable {
    /// The answer to `.permit2Allowance`.
    case permit2Allowance(Permit2Allowance)
}
