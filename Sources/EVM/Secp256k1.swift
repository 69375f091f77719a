// Purse — EVM module.
// The shared libsecp256k1 context and scalar checks used by `PrivateKey` and `Signature`.

import CSecp256k1

/// The process-wide libsecp256k1 context and curve constants.
///
/// libsecp256k1 documents a context as safe for concurrent use by any number of threads once it
/// has been created and randomized, and nothing mutates it afterwards, hence `@unchecked Sendable`.
final class Secp256k1: @unchecked Sendable {
    /// The shared, randomized context.
    static let shared = Secp256k1()

    /// The curve order n, big-endian.
    static let order: [UInt8] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
        0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
    ]

    /// Half the curve order, n / 2 rounded down: the largest "low" s value.
    static let halfOrder: [UInt8] = [
        0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
    ]

    /// The libsecp256k1 context pointer.
    let context: OpaquePointer

    private init() {
        guard let ctx = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            fatalError("libsecp256k1 could not create a context")
        }
        // Blinding against side channels; a failure here only loses the blinding, never correctness.
        var seed = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in seed.indices { seed[i] = rng.next() }
        _ = secp256k1_context_randomize(ctx, seed)
        context = ctx
    }

    /// Whether 32 big-endian bytes are zero.
    static func isZero(_ scalar: [UInt8]) -> Bool {
        scalar.allSatisfy { $0 == 0 }
    }

    /// Whether 32 big-endian bytes are less than the curve order n.
    static func isBelowOrder(_ scalar: [UInt8]) -> Bool {
        scalar.lexicographicallyPrecedes(order)
    }

    /// Whether 32 big-endian bytes are at most n / 2.
    static func isAtMostHalfOrder(_ scalar: [UInt8]) -> Bool {
        !halfOrder.lexicographicallyPrecedes(scalar)
    }
}
