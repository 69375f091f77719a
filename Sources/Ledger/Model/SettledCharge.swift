import PurseCore

/// What a payment settled for its actual amount (`upto`) was charged, and on whose word.
///
/// The reservation holds the signed maximum; this replaces it with what was charged, so the
/// rest of the reservation is free again at once (every budget sums the row's `micros`). It can
/// never exceed the maximum: the chain refuses to move more than was signed.
public struct SettledCharge: Sendable, Equatable {
    /// Whose word the amount is.
    public enum Source: String, Sendable, Equatable, CaseIterable {
        /// The seller's settlement receipt (`amount`), within the signed maximum.
        case receipt
        /// The token's `Transfer` event on chain (reconcile).
        case chain
        /// The signed maximum, counted because the receipt gave no usable amount (absent,
        /// malformed, or above the maximum): reconcile reads the real transfer later.
        case maximum
    }

    /// The amount charged, in the token's atomic units (0 ... the signed maximum).
    public var atomic: Int64
    /// The amount in budget units (rounded up, as the reservation's were).
    public var micros: Micros
    /// Whose word it is.
    public var source: Source
    /// Why it is not the receipt's word (a claim above the maximum, no amount), for the human.
    public var note: String?

    /// Creates a charge.
    public init(atomic: Int64, micros: Micros, source: Source, note: String? = nil) {
        self.atomic = atomic
        self.micros = micros
        self.source = source
        self.note = note
    }
}
