// Purse — Solana module (pure).

import PurseCore

/// Why no program-derived address could be made from some seeds.
public enum SolanaAddressError: CodedError, Equatable {
    /// More than 16 seeds (the bump counts as one).
    case tooManySeeds(Int)
    /// A seed longer than 32 bytes.
    case seedTooLong(index: Int, length: Int)
    /// The hash is a valid Ed25519 point, so it is no program address (try another bump).
    case onCurve
    /// Every bump from 255 to 1 gave a point on the curve.
    case noViableBump

    /// The stable code, such as `solana.seed_too_long`.
    public var code: String {
        switch self {
        case .tooManySeeds: "solana.too_many_seeds"
        case .seedTooLong: "solana.seed_too_long"
        case .onCurve: "solana.address_on_curve"
        case .noViableBump: "solana.no_viable_bump"
        }
    }

    /// A one-line explanation.
    public var message: String {
        switch self {
        case let .tooManySeeds(n): "a program address takes at most \(SolanaProgramAddress.maxSeeds) seeds (the bump included), got \(n)"
        case let .seedTooLong(index, length): "seed \(index) is \(length) bytes; a seed is at most \(SolanaProgramAddress.maxSeedLength)"
        case .onCurve: "the seeds hash to a valid Ed25519 point, which cannot be a program address"
        case .noViableBump: "no bump seed from 255 to 1 gives an address off the Ed25519 curve"
        }
    }
}
