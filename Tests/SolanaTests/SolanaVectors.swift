// Purse — Solana tests.
// examples/local-world/fixtures/solana_vectors.json: expected values from solders 0.27.1 and the
// x402 SDK 2.25.0 client (examples/local-world/gen_solana_vectors.py made them).

import Foundation
import PurseCore
import Testing

/// The vector file, loaded once.
enum SolanaVectors {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("../../examples/local-world/fixtures/solana_vectors.json")

    static let document: JSONValue = {
        let data = try! Data(contentsOf: url)
        return try! JSONValue.parse(Array(data))
    }()

    static var findProgramAddress: [JSONValue] { document["findProgramAddress"]!.arrayValue! }
    static var isOnCurve: [JSONValue] { document["isOnCurve"]!.arrayValue! }
    static var transferChecked: [JSONValue] { document["transferChecked"]!.arrayValue! }
}

extension JSONValue {
    /// The string member at `key` (tests only: a missing one is a broken fixture).
    func text(_ key: String) -> String {
        guard let s = self[key]?.stringValue else { fatalError("fixture: \(key) is not a string") }
        return s
    }

    /// The integer member at `key`.
    func int(_ key: String) -> Int {
        guard let n = self[key]?.int64Value else { fatalError("fixture: \(key) is not an integer") }
        return Int(n)
    }

    /// Hex bytes at `key`.
    func hex(_ key: String) -> [UInt8] { try! Hex.decode(text(key)) }
}
