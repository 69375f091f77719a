import PurseCore
import Testing
@testable import X402

/// The payment-identifier extension: the id's form and its place in the echoed payload.
@Suite struct PaymentIdentifierTests {
    @Test func generatedIdsAreValid() {
        let id = PaymentIdentifier(random: Array(repeating: 0xab, count: 16))
        #expect(id.value == "pay_" + String(repeating: "ab", count: 16))
        #expect(PaymentIdentifier.isValid(id.value))
        #expect(PaymentIdentifier(random: (0..<16).map { UInt8($0) }) != id)
    }

    @Test(arguments: ["", "short", String(repeating: "a", count: 15), String(repeating: "a", count: 129), "pay_abc!defghijklmnop", "pay_abc defghijklmnop",
                      "pay_ä0123456789abcdef"])
    func malformedIdsAreRefused(text: String) {
        #expect(PaymentIdentifier(text) == nil)
    }

    @Test(arguments: [String(repeating: "a", count: 16), String(repeating: "Z", count: 128), "pay_0123-4567_89ab"])
    func wellFormedIdsAreAccepted(text: String) {
        #expect(PaymentIdentifier(text)?.value == text)
    }

    static func required(_ extensions: JSONValue) throws -> PaymentRequired {
        let doc: JSONValue = [
            "x402Version": 2, "resource": ["url": "http://seller.test/weather"],
            "accepts": [["scheme": "exact", "network": "eip155:84532", "amount": "10000", "asset": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
                         "payTo": "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "maxTimeoutSeconds": 300, "extra": ["name": "USDC", "version": "2"]]],
            "extensions": extensions,
        ]
        return try PaymentRequiredParser.parse(header: { $0 == "PAYMENT-REQUIRED" ? Base64.encode(doc.encodedBytes()) : nil }, body: [])
    }

    @Test func theClientsIdReplacesAServersAndEveryOtherExtensionIsEchoedAsGiven() throws {
        let ext: JSONValue = [
            "payment-identifier": ["info": ["required": true, "id": .string(String(repeating: "S", count: 5000))], "schema": ["type": "object"]],
            "bazaar": ["info": ["input": ["type": "http"]], "schema": ["type": "object"]],
            "x-unknown": [1, 2, 3],
        ]
        let offer = try Self.required(ext)
        let id = PaymentIdentifier(random: Array(repeating: 0x01, count: 16))
        let payload = PaymentPayload(offer: offer, requirement: offer.accepts[0], scheme: ["signature": "0x"], paymentIdentifier: id)
        #expect(payload.paymentIdentifier == id.value)
        #expect(payload.document["extensions"]?["payment-identifier"]?["info"]?["required"] == true)
        #expect(payload.document["extensions"]?["bazaar"] == ext["bazaar"])
        #expect(payload.document["extensions"]?["x-unknown"] == ext["x-unknown"])
        #expect(payload.document["resource"] == offer.resource)
        #expect(payload.document["extensions"]?.objectValue?.keys == ["payment-identifier", "bazaar", "x-unknown"])
        #expect(try JSONValue.parse(Array(payload.documentText.utf8)) == payload.document)
        #expect(payload.base64 == Base64.encode(Array(payload.documentText.utf8)))
    }

    @Test func noExtensionIsInvented() throws {
        let offer = try Self.required(["bazaar": ["info": [:]]])
        let payload = PaymentPayload(offer: offer, requirement: offer.accepts[0], scheme: [:], paymentIdentifier: nil)
        #expect(payload.document["extensions"]?.objectValue?.keys == ["bazaar"])
        #expect(payload.paymentIdentifier == nil)
        #expect(!offer.advertisesPaymentIdentifier)
    }
}
