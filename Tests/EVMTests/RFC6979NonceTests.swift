// Purse — EVM tests.

import CSecp256k1
import PurseCore
import PurseTesting
import Testing

@testable import EVM

/// `RFC6979Nonce` must give exactly libsecp256k1's own nonces (and so its signatures): it only
/// computes them faster.
@Suite struct RFC6979NonceTests {
    static func libsecpNonce(digest: [UInt8], key: [UInt8], counter: UInt32) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let ok = secp256k1_nonce_function_rfc6979(&out, digest, key, nil, nil, counter)
        #expect(ok == 1)
        return out
    }

    static func ourNonce(digest: [UInt8], key: [UInt8], counter: UInt32) -> [UInt8] {
        var out = [UInt8](repeating: 0xAA, count: 32)
        #expect(RFC6979Nonce.function(&out, digest, key, nil, nil, counter) == 1)
        return out
    }

    @Test func noncesEqualLibsecp256k1sForManyKeysDigestsAndCounters() {
        var rng = SeededGenerator(state: 6979)
        var compared = 0
        for i in 0..<600 {
            let key = rng.bytes(32)
            var digest = rng.bytes(32)
            // Every fourth digest at or above the curve order, which both must reduce.
            if i % 4 == 0 { for j in 0..<16 { digest[j] = 0xff } }
            for counter: UInt32 in [0, 1, 2, 5] {
                #expect(Self.ourNonce(digest: digest, key: key, counter: counter) == Self.libsecpNonce(digest: digest, key: key, counter: counter),
                        "key #\(i), counter \(counter)")
                compared += 1
            }
        }
        #expect(compared == 2400)
    }

    @Test func digestsAtTheOrderAndAtTheTopReduceAsLibsecp256k1s() {
        let key = [UInt8](repeating: 0x11, count: 32)
        let order = Secp256k1.order
        var orderPlusOne = order
        orderPlusOne[31] &+= 1
        for digest in [order, orderPlusOne, [UInt8](repeating: 0xff, count: 32), [UInt8](repeating: 0, count: 32)] {
            #expect(Self.ourNonce(digest: digest, key: key, counter: 0) == Self.libsecpNonce(digest: digest, key: key, counter: 0))
        }
    }

    @Test func reductionSubtractsTheOrderExactlyWhenTheDigestIsAtLeastIt() {
        func reduced(_ d: [UInt8]) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: 32)
            RFC6979Nonce.reduceModOrder(d, into: &out)
            return out
        }
        var belowOrder = Secp256k1.order
        belowOrder[31] -= 1
        #expect(reduced(belowOrder) == belowOrder)
        #expect(reduced(Secp256k1.order) == [UInt8](repeating: 0, count: 32))
        var top = [UInt8](repeating: 0, count: 32)
        top[31] = 0x01
        var orderPlusOne = Secp256k1.order
        orderPlusOne[31] += 1
        #expect(reduced(orderPlusOne) == top)
    }

    @Test func signaturesEqualThoseWithLibsecp256k1sDefaultNonce() throws {
        var rng = SeededGenerator(state: 3009)
        let ctx = Secp256k1.shared.context
        for i in 0..<200 {
            guard let key = try? PrivateKey(bytes: rng.bytes(32)) else { continue }
            let digest = rng.bytes(32)
            var sig = secp256k1_ecdsa_recoverable_signature()
            var compact = [UInt8](repeating: 0, count: 64)
            var recid: Int32 = 0
            key.withUnsafeKeyBytes { secret in
                #expect(secp256k1_ecdsa_sign_recoverable(ctx, &sig, digest, secret, nil, nil) == 1)
            }
            _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, &compact, &recid, &sig)
            let ours = key.sign(digest: digest)
            #expect(ours.bytes == compact + [UInt8(27 + recid)], "signature #\(i)")
            #expect(try ours.recoverAddress(digest: digest) == key.address)
        }
    }
}
