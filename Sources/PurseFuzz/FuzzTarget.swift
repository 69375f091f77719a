import PurseCore
import WalletConfig
import X402

/// The fuzz target: feeds arbitrary bytes to every parser that reads data from a server or a
/// file, and checks the properties that must hold for any input.
///
/// The first byte selects the parser; the rest is the input:
/// 0 `PAYMENT-REQUIRED` header, 1 a 402 body, 2 a receipt header, 3 the config file,
/// 4 JSON (parse → encode → parse must give the same value), 5 base64 (decode → encode round trip).
public enum FuzzTarget {
    /// Runs one input; traps (crashes) when a property is violated.
    public static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let input = Array(bytes.dropFirst())
        let text = String(decoding: input, as: UTF8.self)
        switch selector % 6 {
        case 0:
            if let offer = try? PaymentRequiredParser.parse(header: { $0 == "PAYMENT-REQUIRED" ? text : nil }, body: []) {
                check(offer)
            }
        case 1:
            if let offer = try? PaymentRequiredParser.parse(header: { _ in nil }, body: input) { check(offer) }
        case 2:
            if let r = try? SettlementResponse.parse(header: { $0 == "PAYMENT-RESPONSE" ? text : nil }) {
                if let tx = r.transaction {
                    precondition(tx.utf8.count == 66 && tx.hasPrefix("0x"), "normalized transaction hash has the wrong shape")
                }
                _ = SignedReceipt.find(in: r)
            }
        case 3:
            if let c = try? PurseConfig.parse(input) {
                precondition(c.policy.maxPerRequest >= .zero && c.policy.dailyBudget >= .zero, "negative limit accepted")
                _ = c.allowedAssets
            }
        case 4:
            if let v = try? JSONValue.parse(input) {
                let again = try? JSONValue.parse(v.encodedBytes())
                precondition(again == v, "JSON does not round-trip")
            }
        default:
            if let decoded = try? Base64.decode(text) {
                precondition((try? Base64.decode(Base64.encode(decoded))) == decoded, "base64 does not round-trip")
            }
        }
    }

    /// Properties of any offer that parsed.
    static func check(_ offer: PaymentRequired) {
        precondition(offer.x402Version == 1 || offer.x402Version == 2, "unsupported version accepted")
        precondition(offer.accepts.count + offer.problems.count <= PaymentRequiredParser.maxOptions, "too many options accepted")
        for r in offer.accepts {
            precondition(r.amount.value > 0, "non-positive amount accepted")
            precondition((1...86_400).contains(r.maxTimeoutSeconds), "timeout out of range accepted")
        }
        let policy = SelectionPolicy(allowedNetworks: ["eip155:84532"], assets: AssetInfo.builtInUSDC, maxPerRequest: Micros(100_000))
        let selection = RequirementSelector.select(offer, policy: policy)
        if let chosen = selection.chosen {
            precondition(chosen.allowed && (chosen.micros?.value ?? .max) <= 100_000, "an option over the cap was chosen")
            precondition(chosen.requirement?.network?.caip2 == "eip155:84532", "a disallowed network was chosen")
        }
        _ = selection.refusalSummary
        // Extensions: a sign-in challenge is signable only for the asking origin, in one line per field.
        if case let .success(challenge)? = offer.signInChallenge {
            let origin = WebOrigin(scheme: "http", host: "seller.test", port: 80)
            if challenge.refusal(origin: origin, chain: "eip155:84532", now: 1_800_000_000) == nil {
                precondition(WebOrigin.parseAuthority(challenge.domain, scheme: "http") == origin, "a sign-in for another domain was allowed")
                precondition(WebOrigin.parse(challenge.uri) == origin, "a sign-in for another uri was allowed")
                let fields = [challenge.statement ?? "", challenge.nonce, challenge.issuedAt] + (challenge.resources ?? [])
                precondition(!fields.contains { $0.contains("\n") || $0.contains("\r") }, "a multi-line sign-in field was allowed")
            }
        }
        _ = SignedOffer.offers(in: offer)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func purseFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
