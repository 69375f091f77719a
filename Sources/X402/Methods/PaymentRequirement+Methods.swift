import PurseCore

extension PaymentRequirement {
    /// `extra.facilitatorAddress` (`upto`): the only address that may settle the signed permit.
    public var facilitatorAddress: String? { extra?["facilitatorAddress"]?.stringValue }
}
