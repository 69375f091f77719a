import Testing
import PurseCore
@testable import X402

@Suite struct PaymentRequiredParserTests {
    @Test func specV2HeaderFixture() throws {
        let value = try Fixture.text("v2-payment-required")
        let offer = try PaymentRequiredParser.parse(header: Fixture.headers(["payment-required": value]), body: Array("{}".utf8))
        #expect(offer.x402Version == 2)
        #expect(offer.source == .header)
        #expect(offer.error == "PAYMENT-SIGNATURE header is required")
        let r = try #require(offer.accepts.first)
        #expect(r.scheme == "exact")
        #expect(r.network == Network(chainId: 84532))
        #expect(r.amount.value == 10000)
        #expect(r.asset == "0x036CbD53842c5426634e7929541eC2318f3dCF7e")
        #expect(r.payTo == "0x209693Bc6afc0C5328bA36FaF03C514EF312287C")
        #expect(r.maxTimeoutSeconds == 60)
        #expect(r.eip712Name == "USDC" && r.eip712Version == "2")
        #expect(offer.resource?["url"]?.stringValue == "https://api.example.com/premium-data")
    }

    @Test func specV2SignatureFixtureEchoesAcceptedVerbatim() throws {
        // The spec's own PAYMENT-SIGNATURE carries `accepted` equal to the PAYMENT-REQUIRED entry:
        // rebuilding a payload from the offer must produce the very same document.
        let offer = try PaymentRequiredParser.parse(header: Fixture.headers(["PAYMENT-REQUIRED": try Fixture.text("v2-payment-required")]), body: [])
        let spec = try Fixture.decoded("v2-payment-signature")
        let auth = try Fixture.authorization(spec)
        let payload = PaymentPayload(offer: offer, requirement: offer.accepts[0], scheme: auth.json, paymentIdentifier: nil)
        #expect(payload.httpHeaderName == "PAYMENT-SIGNATURE")
        #expect(payload.document["accepted"] == spec["accepted"])
        #expect(payload.document["resource"] == spec["resource"])
        #expect(payload.document["payload"]?["authorization"] == spec["payload"]?["authorization"])
        // The header decodes back to our payload.
        #expect(try JSONValue.parse(try Base64.decode(payload.base64)) == payload.document)
    }

    @Test func specV1XPaymentFixtureShape() throws {
        let spec = try Fixture.decoded("v1-x-payment")
        let body = #"{"x402Version":1,"error":"X-PAYMENT header is required","accepts":[{"scheme":"exact","network":"base-sepolia","maxAmountRequired":"10000","resource":"https://api.example.com/premium-data","description":"d","mimeType":"application/json","outputSchema":null,"payTo":"0x209693Bc6afc0C5328bA36FaF03C514EF312287C","maxTimeoutSeconds":60,"asset":"0x036CbD53842c5426634e7929541eC2318f3dCF7e","extra":{"name":"USDC","version":"2"}}]}"#
        let offer = try PaymentRequiredParser.parse(header: { _ in nil }, body: Array(body.utf8))
        #expect(offer.x402Version == 1 && offer.source == .body)
        let r = try #require(offer.accepts.first)
        #expect(r.network?.caip2 == "eip155:84532")
        #expect(r.resource == "https://api.example.com/premium-data")
        let auth = try Fixture.authorization(spec)
        let payload = PaymentPayload(offer: offer, requirement: r, scheme: auth.json, paymentIdentifier: nil)
        #expect(payload.httpHeaderName == "X-PAYMENT")
        #expect(payload.document == spec)  // byte-for-byte the spec's document
        #expect(payload.base64 == (try Fixture.text("v1-x-payment")))
    }

    @Test(arguments: ["v2-payment-response-success", "v1-x-payment-response-success"])
    func specReceiptSuccess(_ name: String) throws {
        let r = try #require(try SettlementResponse.parse(header: Fixture.headers([name.hasPrefix("v1") ? "X-PAYMENT-RESPONSE" : "PAYMENT-RESPONSE": try Fixture.text(name)])))
        #expect(r.success)
        #expect(r.transaction == "0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef")
        #expect(r.payer == "0x857b06519E91e3A54538791bDbb0E22373e36b66")
    }

    @Test(arguments: ["v2-payment-response-failure", "v1-x-payment-response-failure"])
    func specReceiptFailure(_ name: String) throws {
        let r = try #require(try SettlementResponse.parse(header: Fixture.headers(["payment-response": try Fixture.text(name)])))
        #expect(!r.success)
        #expect(r.transaction == nil)
        #expect(r.errorReason == "insufficient_funds")
    }

    @Test func receiptTransactionWithoutPrefixIsNormalized() throws {
        let doc: JSONValue = ["success": true, "transaction": .string(String(repeating: "AB", count: 32)), "network": "eip155:84532"]
        let r = try SettlementResponse.decode(Base64.encode(doc.encodedBytes()), field: "PAYMENT-RESPONSE")
        #expect(r.transaction == "0x" + String(repeating: "ab", count: 32))
    }

    @Test func v2ObjectInBodyIsAccepted() throws {
        let body: JSONValue = ["x402Version": 2, "accepts": [Fixture.entry()]]
        let offer = try PaymentRequiredParser.parse(header: { _ in nil }, body: body.encodedBytes())
        #expect(offer.x402Version == 2 && offer.source == .body && offer.accepts.count == 1)
    }

    @Test func headerWinsOverBody() throws {
        let body: JSONValue = ["x402Version": 1, "accepts": [Fixture.entry(amount: "99")]]
        let offer = try PaymentRequiredParser.parse(header: Fixture.headers(["PAYMENT-REQUIRED": Fixture.v2Header([Fixture.entry()])]), body: body.encodedBytes())
        #expect(offer.source == .header && offer.accepts[0].amount.value == 10000)
    }

    @Test(arguments: [
        ("%%%notbase64", "x402.bad_base64"),
        ("eyJ4NDAyVmVyc2lvbiI6Mn0", "x402.bad_base64"),           // unpadded
        ("eyJ4NDAyVmVyc2lvbiI6Mn0-", "x402.bad_base64"),          // base64url character
        (Base64.encode(Array("not json".utf8)), "x402.bad_json"),
        (Base64.encode(Array("[1]".utf8)), "x402.not_an_object"),
        (Base64.encode(Array("{}".utf8)), "x402.missing_field"),
        (Base64.encode(Array(#"{"x402Version":"2","accepts":[]}"#.utf8)), "x402.wrong_type"),
        (Base64.encode(Array(#"{"x402Version":3,"accepts":[]}"#.utf8)), "x402.unsupported_version"),
        (Base64.encode(Array(#"{"x402Version":2,"accepts":[]}"#.utf8)), "x402.no_requirements"),
        (Base64.encode(Array(#"{"x402Version":2,"accepts":{}}"#.utf8)), "x402.wrong_type"),
        (Base64.encode(Array(#"{"x402Version":2}"#.utf8)), "x402.missing_field"),
    ])
    func malformedHeaders(_ value: String, _ code: String) {
        do {
            _ = try PaymentRequiredParser.parse(header: Fixture.headers(["PAYMENT-REQUIRED": value]), body: [])
            Issue.record("expected \(code)")
        } catch {
            #expect(error.code == code)
        }
    }

    @Test func bodyWithoutX402IsNoPaymentInfo() {
        for body in ["", "<html>pay me</html>", #"{"error":"pay"}"#] {
            do {
                _ = try PaymentRequiredParser.parse(header: { _ in nil }, body: Array(body.utf8))
                Issue.record("expected an error for \(body)")
            } catch {
                #expect(error.code == "x402.no_payment_info")
            }
        }
    }

    @Test(arguments: [
        (Fixture.entry(amount: "-1"), "negative"),
        (Fixture.entry(amount: "0"), "zero"),
        (Fixture.entry(amount: "1000000000000000000000000000000"), "too large"),
        (Fixture.entry(amount: "10.5"), "whole number"),
        (Fixture.entry(amount: "1e4"), "decimal digits"),
        (Fixture.entry(amount: 10000), "must be a string"),
        (Fixture.entry(timeout: 0), "outside"),
        (Fixture.entry(timeout: 1_000_000_000), "outside"),
        (Fixture.entry(timeout: "300"), "must be an integer"),
        (Fixture.entry(extra: "x"), "must be an object"),
        (JSONValue.string("nope"), "must be an object"),
    ])
    func malformedEntriesBecomeProblems(_ entry: JSONValue, _ fragment: String) throws {
        let offer = try PaymentRequiredParser.parse(header: Fixture.headers(["PAYMENT-REQUIRED": Fixture.v2Header([entry, Fixture.entry()])]), body: [])
        #expect(offer.accepts.count == 1)
        let problem = try #require(offer.problems.first)
        #expect(problem.index == 0)
        #expect(problem.error.message.contains(fragment), "\(problem.error.message)")
    }

    @Test func amountAndMaxAmountMustAgree() throws {
        var o = try #require(Fixture.entry().objectValue)
        o["maxAmountRequired"] = "20000"
        let offer = try PaymentRequiredParser.parse(header: Fixture.headers(["PAYMENT-REQUIRED": Fixture.v2Header([.object(o)])]), body: [])
        #expect(offer.accepts.isEmpty)
        #expect(offer.problems.first?.error.message.contains("disagree") == true)
        o["maxAmountRequired"] = "10000"
        let ok = try PaymentRequiredParser.parse(header: Fixture.headers(["PAYMENT-REQUIRED": Fixture.v2Header([.object(o)])]), body: [])
        #expect(ok.accepts.count == 1)
    }

    @Test func extraNullIsParsedAsMissingAndNeverEchoedAsNull() throws {
        let offer = try PaymentRequiredParser.parse(header: Fixture.headers(["PAYMENT-REQUIRED": Fixture.v2Header([Fixture.entry(extra: .null)])]), body: [])
        #expect(offer.accepts.first?.extra == nil)
        let selection = RequirementSelector.select(offer, policy: Fixture.policy())
        #expect(selection.chosen == nil)
        #expect(selection.verdicts[0].reasons.map(\.code).contains("option.eip712_domain_missing"))
    }

    @Test func unknownFieldsAreIgnored() throws {
        var o = try #require(Fixture.entry().objectValue)
        o["futureField"] = ["nested": [1, 2]]
        let offer = try PaymentRequiredParser.parse(header: Fixture.headers(["PAYMENT-REQUIRED": Fixture.v2Header([.object(o)])]), body: [])
        #expect(offer.accepts.count == 1)
        #expect(offer.accepts[0].raw == .object(o))
    }

    @Test func paymentIdentifierIsEchoedInExtensions() throws {
        let ext: JSONValue = ["payment-identifier": ["info": ["required": true], "schema": ["type": "object"]], "other": ["info": ["x": 1]]]
        let offer = try PaymentRequiredParser.parse(header: Fixture.headers(["PAYMENT-REQUIRED": Fixture.v2Header([Fixture.entry()], extensions: ext)]), body: [])
        #expect(offer.advertisesPaymentIdentifier && offer.requiresPaymentIdentifier)
        let id = PaymentIdentifier(random: Array(repeating: 0xab, count: 16))
        #expect(id.value == "pay_" + String(repeating: "ab", count: 16))
        let h = PaymentPayload(offer: offer, requirement: offer.accepts[0], scheme: ["signature": "0x00"], paymentIdentifier: id)
        #expect(h.document["extensions"]?["payment-identifier"]?["info"]?["id"]?.stringValue == id.value)
        #expect(h.document["extensions"]?["payment-identifier"]?["info"]?["required"]?.boolValue == true)
        #expect(h.document["extensions"]?["other"] == ext["other"])
    }
}
