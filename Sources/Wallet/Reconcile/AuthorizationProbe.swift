import ChainRPC
import Ledger

/// Asks a chain whether one ledger row's authorization was used, and what it moved: one
/// implementation per kind of `AuthorizationReference` (`Reconciler.probe(for:)` picks it).
protocol AuthorizationProbe: Sendable {
    /// What the chain says about `row`.
    ///
    /// - Throws: the RPC's error when the chain could not be asked.
    func probe(_ row: PaymentRecord) async throws(ChainRPCError) -> ProbeResult
}
