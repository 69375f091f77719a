import Testing
import PurseCore
@testable import X402

/// The Permit2 scheme payload and the extension data it adds, in the shapes the x402 SDK
/// verifies (`x402/mechanisms/evm/types.py` `to_dict`, `extensions/eip2612_gas_sponsoring`).
@Suite struct SchemePayloadTests {
    static let payer = try! Address(parsing: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
    static let token = try! Address(parsing: "0x04A71E3fb9921888997Aa8BD93c9F6C31D2af578")
    static let payTo = try! Address(parsing: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")
    static let facilitator = try! Address(parsing: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
    static let nonce = try! Nonce32(hex: "0x" + String(repeating: "00", count: 30) + "0102")

    func transfer(_ witness: Permit2Witness, permit: SignedEIP2612Permit? = nil) -> SignedPermit2Transfer {
        SignedPermit2Transfer(from: Self.payer, token: Self.token, amount: 50_000, spender: Permit2Addresses.uptoProxy, nonce: Self.nonce,
                              deadline: 1_900_000_000, witness: witness, signature: [UInt8](repeating: 0xab, count: 65), permit: permit)
    }

    @Test func uptoPayloadShape() {
        let json = transfer(.upto(to: Self.payTo, facilitator: Self.facilitator, validAfter: 1_740_000_000)).json
        let auth = json["permit2Authorization"]
        #expect(auth?["from"]?.stringValue == Self.payer.checksummed)
        #expect(auth?["permitted"] == ["token": .string(Self.token.checksummed), "amount": "50000"])
        #expect(auth?["spender"]?.stringValue == "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002")
        #expect(auth?["nonce"]?.stringValue == "258")  // a uint256, in decimal
        #expect(auth?["deadline"]?.stringValue == "1900000000")
        #expect(auth?["witness"]?.objectValue?.keys == ["to", "facilitator", "validAfter"])
        #expect(auth?["witness"]?["validAfter"]?.stringValue == "1740000000")
        #expect(json["signature"]?.stringValue == "0x" + String(repeating: "ab", count: 65))
        #expect(SchemePayload.permit2(transfer(.exact(to: Self.payTo, validAfter: 0))).extensions == nil)
    }

    @Test func eip2612PermitIsMergedUnderTheServersDeclaration() throws {
        let permit = SignedEIP2612Permit(from: Self.payer, asset: Self.token, spender: Permit2Addresses.permit2, amount: 10_000,
                                         nonce: UInt256(7), deadline: 1_900_000_000, signature: [UInt8](repeating: 0xcd, count: 65))
        let payload = SchemePayload.permit2(transfer(.exact(to: Self.payTo, validAfter: 0), permit: permit))
        let declared: JSONValue = [
            "eip2612GasSponsoring": ["info": ["description": "gasless approval", "version": "1"], "schema": ["type": "object"]],
            "bazaar": ["info": ["x": 1]],
        ]
        let header = Fixture.v2Header([Fixture.entry(extra: ["name": "Permit USD", "version": "1", "assetTransferMethod": "permit2"])],
                                      extensions: declared)
        let offer = try PaymentRequiredParser.parse(header: Fixture.headers(["PAYMENT-REQUIRED": header]), body: [])
        let doc = PaymentPayload(offer: offer, requirement: offer.accepts[0], scheme: payload.json, paymentIdentifier: nil,
                                 schemeExtensions: payload.extensions).document
        let ext = try #require(doc["extensions"]?["eip2612GasSponsoring"])
        // The server's schema and info fields stay; the client's permit fields are added.
        #expect(ext["schema"] == ["type": "object"])
        #expect(ext["info"]?["description"]?.stringValue == "gasless approval")
        #expect(ext["info"]?["version"]?.stringValue == "1")
        #expect(ext["info"]?["from"]?.stringValue == Self.payer.checksummed)
        #expect(ext["info"]?["spender"]?.stringValue == "0x000000000022D473030F116dDEE9F6B43aC78BA3")
        #expect(ext["info"]?["amount"]?.stringValue == "10000")
        #expect(ext["info"]?["nonce"]?.stringValue == "7")
        #expect(ext["info"]?["deadline"]?.stringValue == "1900000000")
        #expect(ext["info"]?["signature"]?.stringValue == "0x" + String(repeating: "cd", count: 65))
        #expect(doc["extensions"]?["bazaar"] == ["info": ["x": 1]])
        #expect(doc["payload"] == payload.json)
    }
}
