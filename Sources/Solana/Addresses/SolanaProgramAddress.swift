// Purse — Solana module (pure).
// Program-derived addresses: how Solana finds the token account of an owner for a mint.

import Crypto

/// A program-derived address (PDA) and the bump seed that produced it.
///
/// Solana's `Pubkey::create_program_address` hashes
/// `sha256(seed₀ ‖ … ‖ seedₙ ‖ programId ‖ "ProgramDerivedAddress")` and accepts the hash only
/// when it is *not* an Ed25519 point (`EdwardsCurve.isOnCurve`), so no key can sign for it.
/// `find_program_address` appends one more seed, the bump, trying 255, 254, … and taking the
/// first hash that is off the curve. Both are reproduced here, with the SDK's limits.
public struct SolanaProgramAddress: Sendable, Hashable {
    /// The derived address.
    public let address: SolanaPublicKey
    /// The bump seed that made the hash fall off the curve.
    public let bump: UInt8

    /// At most 16 seeds, the bump included (`MAX_SEEDS`).
    public static let maxSeeds = 16
    /// At most 32 bytes per seed (`MAX_SEED_LEN`).
    public static let maxSeedLength = 32
    /// The domain separator hashed after the program id.
    static let marker = Array("ProgramDerivedAddress".utf8)

    /// The candidate hash for `seeds` under `programId`, before the curve test.
    static func candidate(seeds: [[UInt8]], programId: SolanaPublicKey) -> [UInt8] {
        var hasher = SHA256()
        for seed in seeds { hasher.update(data: seed) }
        hasher.update(data: programId.bytes)
        hasher.update(data: marker)
        return Array(hasher.finalize())
    }

    /// `create_program_address`: the address for exactly these seeds (the bump, if any, already
    /// among them).
    ///
    /// - Throws: `SolanaAddressError.tooManySeeds`, `.seedTooLong`, or `.onCurve` when the hash is
    ///   a valid point (then it is no program address, and a caller searching bumps moves on).
    public static func create(seeds: [[UInt8]], programId: SolanaPublicKey) throws(SolanaAddressError) -> SolanaPublicKey {
        guard seeds.count <= maxSeeds else { throw .tooManySeeds(seeds.count) }
        if let long = seeds.firstIndex(where: { $0.count > maxSeedLength }) {
            throw .seedTooLong(index: long, length: seeds[long].count)
        }
        let hash = candidate(seeds: seeds, programId: programId)
        guard !EdwardsCurve.isOnCurve(hash) else { throw .onCurve }
        return try! SolanaPublicKey(bytes: hash)  // SHA-256 gives 32 bytes
    }

    /// `find_program_address`: the first bump from 255 down to 1 whose address is off the curve.
    ///
    /// Like the Solana SDK's off-chain `try_find_program_address`, bump 0 is never tried.
    /// - Throws: `SolanaAddressError.tooManySeeds` (more than 15 seeds here, as the bump takes the
    ///   16th place), `.seedTooLong`, or `.noViableBump` in the (astronomically unlikely) case
    ///   that all 255 candidates are on the curve.
    public static func find(seeds: [[UInt8]], programId: SolanaPublicKey) throws(SolanaAddressError) -> SolanaProgramAddress {
        guard seeds.count < maxSeeds else { throw .tooManySeeds(seeds.count + 1) }
        var bump: UInt8 = 255
        while bump >= 1 {
            do throws(SolanaAddressError) {
                return SolanaProgramAddress(address: try create(seeds: seeds + [[bump]], programId: programId), bump: bump)
            } catch .onCurve {
                bump -= 1
            }
        }
        throw .noViableBump
    }
}
