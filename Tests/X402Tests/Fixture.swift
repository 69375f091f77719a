import Foundation
import Testing
import PurseCore
@testable import X402

/// Loads test fixtures and builds offers.
enum Fixture {
    static func text(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/spec-headers/\(name)", withExtension: "b64"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func decoded(_ name: String) throws -> JSONValue {
        try JSONValue.parse(try Base64.decode(try text(name)))
    }

    /// Headers as a case-insensitive lookup.
    static func headers(_ pairs: [String: String]) -> (String) -> String? {
        { name in pairs.first { $0.key.lowercased() == name.lowercased() }?.value }
    }

    static let localToken = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
    static let seller = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"

    static func entry(amount: JSONValue = "10000", network: String = "eip155:84532", asset: String = localToken,
                      payTo: String = seller, timeout: JSONValue = 300, extra: JSONValue? = ["name": "USDC", "version": "2"],
                      scheme: String = "exact") -> JSONValue {
        var o: JSONObject = ["scheme": .string(scheme), "network": .string(network), "asset": .string(asset),
                             "amount": amount, "payTo": .string(payTo), "maxTimeoutSeconds": timeout]
        if let extra { o["extra"] = extra }
        return .object(o)
    }

    static func v2Header(_ accepts: [JSONValue], extensions: JSONValue? = nil) -> String {
        var o: JSONObject = ["x402Version": 2, "error": "Payment required",
                             "resource": ["url": "http://127.0.0.1/weather", "mimeType": "application/json"],
                             "accepts": .array(accepts)]
        if let extensions { o["extensions"] = extensions }
        return Base64.encode(JSONValue.object(o).encodedBytes())
    }

    static let localAsset = AssetInfo(network: "eip155:84532", address: localToken, symbol: "USDC", eip712Name: "USDC", eip712Version: "2", decimals: 6)

    static func policy(cap: Int64 = 100_000, networks: Set<String> = ["eip155:84532"]) -> SelectionPolicy {
        SelectionPolicy(allowedNetworks: networks, assets: AssetInfo.builtInUSDC + [localAsset], maxPerRequest: Micros(cap))
    }

    /// The typed authorization of a spec payload document (`payload.authorization` + `payload.signature`).
    static func authorization(_ spec: JSONValue) throws -> SignedAuthorization {
        let a = try #require(spec["payload"]?["authorization"])
        func text(_ k: String) throws -> String { try #require(a[k]?.stringValue) }
        return SignedAuthorization(
            from: try Address(parsing: try text("from")), to: try Address(parsing: try text("to")),
            value: try #require(Int64(try text("value"))), validAfter: try #require(Int64(try text("validAfter"))),
            validBefore: try #require(Int64(try text("validBefore"))), nonce: try Nonce32(hex: try text("nonce")),
            signature: try Hex.decode(try #require(spec["payload"]?["signature"]?.stringValue)))
    }
}
