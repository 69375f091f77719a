import PurseCore
import Testing
@testable import X402

/// The x402 MCP binding: the three payment-required conventions met in the wild (and their
/// malformed variants), the payment's two encodings, and the receipt's places and shapes.
@Suite struct MCPPaymentBindingTests {
    static let offer: JSONValue = [
        "x402Version": 2, "error": "Payment required to access this tool",
        "resource": ["url": "mcp://tool/get_weather", "mimeType": "application/json"],
        "accepts": [["scheme": "exact", "network": "eip155:84532", "asset": "0x5FbDB2315678afecb367f032d93F642f64180aa3", "amount": "10000",
                     "payTo": "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "maxTimeoutSeconds": 300, "extra": ["name": "USDC", "version": "2"]]],
    ]

    static func text(_ s: String) -> JSONValue { ["type": "text", "text": .string(s)] }

    static let spec: JSONValue = ["isError": true, "structuredContent": offer, "content": [text(offer.encoded())]]
    static let textOnly: JSONValue = ["isError": true, "content": [text(offer.encoded()), text("Payment required to call this tool (x402).")]]
    static let cloudflare: JSONValue = ["isError": true, "_meta": ["x402/error": offer], "content": [text(offer.encoded())]]

    @Test func theSpecificationsShapeIsRecognised() throws {
        guard case let .paymentRequired(pr, .spec) = MCPPaymentBinding.recognise(result: Self.spec) else { Issue.record("not spec"); return }
        #expect(pr.accepts.first?.amount.value == 10_000 && pr.source == .toolResult)
        #expect(pr.error == "Payment required to access this tool")
        #expect(MCPPaymentConvention.spec.paymentEncoding == .object)
    }

    @Test func textOnlyIsRecognised() throws {
        guard case let .paymentRequired(pr, .text) = MCPPaymentBinding.recognise(result: Self.textOnly) else { Issue.record("not text"); return }
        #expect(pr.accepts.count == 1)
        // Leading blanks are fine; a text that is not JSON is the tool's own error.
        let padded: JSONValue = ["isError": true, "content": [Self.text("  \n" + Self.offer.encoded())]]
        #expect(MCPPaymentBinding.recognise(result: padded).convention == .text)
        #expect(MCPPaymentBinding.recognise(result: ["isError": true, "content": [Self.text("city is required")]]) == .none)
    }

    @Test func cloudflaresShapeIsRecognisedAsObjectJSONTextOrBase64() throws {
        guard case .paymentRequired(_, .cloudflare) = MCPPaymentBinding.recognise(result: Self.cloudflare) else { Issue.record("not cloudflare"); return }
        let asJSONText: JSONValue = ["isError": true, "_meta": ["x402/error": .string(Self.offer.encoded())]]
        let asBase64: JSONValue = ["isError": true, "_meta": ["x402/error": .string(Base64.encode(Self.offer.encodedBytes()))]]
        #expect(MCPPaymentBinding.recognise(result: asJSONText).convention == .cloudflare)
        #expect(MCPPaymentBinding.recognise(result: asBase64).convention == .cloudflare)
        #expect(MCPPaymentConvention.cloudflare.paymentEncoding == .base64String)
    }

    @Test func aJSONRPCError402CarryingAnOfferIsTheSpecification() {
        #expect(MCPPaymentBinding.recognise(errorCode: 402, data: Self.offer).convention == .spec)
        #expect(MCPPaymentBinding.recognise(errorCode: -32602, data: Self.offer) == .none)
        #expect(MCPPaymentBinding.recognise(errorCode: 402, data: ["message": "no"]) == .none)
    }

    @Test func aSuccessfulResultIsNeverReadAsPaymentRequired() {
        // A tool may answer with x402 data (a quote tool): without isError it is its answer.
        let answer: JSONValue = ["isError": false, "structuredContent": Self.offer, "content": [Self.text(Self.offer.encoded())]]
        #expect(MCPPaymentBinding.recognise(result: answer) == .none)
        #expect(MCPPaymentBinding.recognise(result: ["content": [Self.text("pong")]]) == .none)
        #expect(MCPPaymentBinding.recognise(result: "not an object") == .none)
    }

    static let malformedOffers: [JSONValue] = [
        // accepts of the wrong type
        ["isError": true, "structuredContent": ["x402Version": 2, "accepts": "exact"]],
        // a version Purse does not speak
        ["isError": true, "content": [["type": "text", "text": #"{"x402Version": 9, "accepts": []}"#]]],
        // x402/error that is a number, or a string that is neither JSON nor base64 JSON
        ["isError": true, "_meta": ["x402/error": 402]],
        ["isError": true, "_meta": ["x402/error": "%%% not base64"]],
    ]

    @Test(arguments: malformedOffers)
    func malformedOffersAreUnreadableNotIgnored(result: JSONValue) {
        guard case let .unreadable(error, _) = MCPPaymentBinding.recognise(result: result) else {
            Issue.record("expected unreadable, got \(MCPPaymentBinding.recognise(result: result))")
            return
        }
        #expect(error.code.hasPrefix("x402."))
        #expect(error.field != nil)
    }

    @Test func anOptionThatDoesNotParseIsKeptAsAProblemForTheSelectorToRefuse() {
        let result: JSONValue = ["isError": true, "structuredContent": ["x402Version": 2, "accepts": [
            ["scheme": "exact", "network": "eip155:84532", "amount": 10000, "asset": "0x1", "payTo": "0x2", "maxTimeoutSeconds": 300]]]]
        guard case let .paymentRequired(pr, .spec) = MCPPaymentBinding.recognise(result: result) else { Issue.record("not an offer"); return }
        #expect(pr.accepts.isEmpty && pr.problems.first?.error.field == "accepts[0].amount")
    }

    @Test func thePaymentIsAnObjectOrTheBase64OfTheSameBytes() throws {
        guard case let .paymentRequired(pr, _) = MCPPaymentBinding.recognise(result: Self.spec) else { Issue.record("no offer"); return }
        let payload = PaymentPayload(offer: pr, requirement: pr.accepts[0], scheme: ["signature": "0xab"], paymentIdentifier: nil)
        let object = MCPPaymentBinding.metaValue(payload, encoding: .object)
        let string = MCPPaymentBinding.metaValue(payload, encoding: .base64String)
        #expect(object == payload.document)
        #expect(object["accepted"] == Self.offer["accepts"]?.arrayValue?.first)
        #expect(object["resource"] == Self.offer["resource"])
        guard case let .string(b64) = string else { Issue.record("not a string"); return }
        #expect(try Base64.decode(b64) == object.encodedBytes())
        // Built once: every resend carries identical bytes.
        #expect(MCPPaymentBinding.metaValue(payload, encoding: .base64String) == string)
    }

    @Test func receiptsAreReadFromMetaOrTheFailedSettlementsStructuredContent() throws {
        let tx = "0x" + String(repeating: "ab", count: 32)
        let receipt: JSONValue = ["success": true, "transaction": .string(tx), "network": "eip155:84532", "payer": "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"]
        let r1 = try MCPPaymentBinding.receipt(result: ["content": [], "_meta": ["x402/payment-response": receipt]])
        #expect(r1?.success == true && r1?.transaction == tx)
        let r2 = try MCPPaymentBinding.receipt(result: ["_meta": ["x402/payment-response": .string(Base64.encode(receipt.encodedBytes()))]])
        #expect(r2?.transaction == tx)
        let failed: JSONValue = ["isError": true, "structuredContent": ["x402Version": 2, "accepts": [],
                                                                         "x402/payment-response": ["success": false, "errorReason": "insufficient_funds"]]]
        #expect(try MCPPaymentBinding.receipt(result: failed)?.errorReason == "insufficient_funds")
        #expect(try MCPPaymentBinding.receipt(result: ["content": []]) == nil)
    }

    static let malformedReceipts: [JSONValue] = [
        "%%%not-base64!!deadbeef",
        .string(Base64.encode([0xff, 0xfe, 0x00, 0x41])),
        ["success": "yes", "transaction": 12345, "network": ["eip155:84532"], "payer": false],
        402,
        ["0xab", true],
    ]

    @Test(arguments: malformedReceipts)
    func malformedReceiptsAreErrorsNamingTheField(value: JSONValue) {
        #expect(throws: X402Error.self) { try MCPPaymentBinding.receipt(result: ["_meta": ["x402/payment-response": value]]) }
        do { _ = try MCPPaymentBinding.receipt(result: ["_meta": ["x402/payment-response": value]]) } catch {
            #expect(error.field?.hasPrefix("_meta.x402/payment-response") == true)
        }
    }
}
