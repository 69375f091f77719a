// Purse — EVM tests.

import Foundation

import Testing

@testable import PurseCore

@Suite struct Keccak256Tests {
    /// Vectors from docs/swift-stack.md §3 (each also matches other Keccak implementations).
    static let vectors: [(String, String)] = [
        ("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
        ("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
        ("The quick brown fox jumps over the lazy dog", "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"),
        ("transfer(address,uint256)", "a9059cbb2ab09eb219583f4a59a5d0623ade346d962bcd4e46b11da047c9049b"),
        (String(repeating: "a", count: 135), "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446"),
        (String(repeating: "a", count: 136), "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e"),
        (String(repeating: "a", count: 137), "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39"),
    ]

    @Test(arguments: vectors)
    func knownVectors(input: String, expected: String) {
        #expect(Hex.encode(Keccak256.hash(Array(input.utf8)), prefix: false) == expected)
        #expect(Hex.encode(Keccak256.hash(utf8: input), prefix: false) == expected)
    }

    @Test func nonContiguousInputHashesLikeAnArray() {
        let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
        let reversedTwice = bytes.reversed().reversed()  // a lazy, non-Array collection
        #expect(Keccak256.hash(reversedTwice) == Keccak256.hash(bytes))
        #expect(Keccak256.hash(bytes[4...]) == Keccak256.hash(Array(bytes[4...])))
    }

    @Test func everyLengthAcrossTwoBlocksIsDistinct() {
        // Padding bugs at block edges (0x01 and 0x80 in the same byte) make neighbours collide.
        let data = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let digests = Set((0...300).map { Hex.encode(Keccak256.hash(data.prefix($0))) })
        #expect(digests.count == 301)
    }

    @Test func hashOf100BytesIsFastInRelease() {
        let input = [UInt8](repeating: 0x5a, count: 100)
        var sink: UInt8 = 0
        let rounds = 20_000
        let start = ContinuousClock.now
        for _ in 0..<rounds { sink ^= Keccak256.hash(input)[0] }
        let elapsed = ContinuousClock.now - start
        let perHash = elapsed / rounds
        #expect(sink == 0)  // an even number of identical digests XOR to zero; also keeps the loop alive
        #if !DEBUG
        #expect(perHash < .microseconds(2), "keccak256 of 100 bytes took \(perHash)")
        #else
        #expect(perHash < .microseconds(200), "keccak256 of 100 bytes took \(perHash) (debug build)")
        #endif
    }
}
