import EVM
import Foundation
import HTTP
import PurseCore
import Solana
import Testing
@testable import Wallet
@testable import X402

/// Builders shared by the Wallet tests.
enum WalletFixture {
    static let token = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
    static let seller = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
    static let payerKeyHex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    static let payer = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    static let payerAddress = try! Address(parsing: payer)
    static let sellerAddress = try! Address(parsing: seller)
    static let tokenAddress = try! Address(parsing: token)
    static let nonce = try! Nonce32(bytes: Array(repeating: 0x11, count: 32))

    static func config(_ policyJSON: String = #"{"maxPerRequest":"0.10"}"#, extra: String = "") throws -> PurseConfig {
        let text = #"{"networks":{"eip155:84532":{"rpcUrl":"http://127.0.0.1:1","assets":[{"address":""# + token + #"","name":"USDC","version":"2","decimals":6,"symbol":"USDC"}]}},"policy":"# + policyJSON + extra + "}"
        return try PurseConfig.parse(Array(text.utf8))
    }

    static func entry(amount: String = "10000", network: String = "eip155:84532", asset: String = token, payTo: String = seller,
                      timeout: Int = 300, extra: JSONValue = ["name": "USDC", "version": "2"]) -> JSONValue {
        ["scheme": "exact", "network": .string(network), "amount": .string(amount), "asset": .string(asset),
         "payTo": .string(payTo), "maxTimeoutSeconds": .integer(timeout), "extra": extra]
    }

    static func offerHeader(_ accepts: [JSONValue], extensions: JSONValue? = nil) -> String {
        Base64.encode(offerDocument(accepts, extensions: extensions).encodedBytes())
    }

    static func offerDocument(_ accepts: [JSONValue], extensions: JSONValue? = nil) -> JSONValue {
        var o: JSONObject = ["x402Version": 2, "error": "Payment required", "resource": ["url": "http://seller.test/weather"], "accepts": .array(accepts)]
        if let extensions { o["extensions"] = extensions }
        return .object(o)
    }

    static func response(_ status: Int, headers: [(String, String)] = [], body: String = "") -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders(headers), body: Array(body.utf8), truncated: false, redirectLocation: nil, effectiveURL: "http://seller.test/weather")
    }

    static func paymentRequired(_ accepts: [JSONValue] = [entry()], extensions: JSONValue? = nil) -> HTTPResponse {
        response(402, headers: [("PAYMENT-REQUIRED", offerHeader(accepts, extensions: extensions))], body: "{}")
    }

    static func receipt(success: Bool = true, tx: String = "0x" + String(repeating: "ab", count: 32)) -> String {
        let doc: JSONValue = ["success": .bool(success), "transaction": .string(success ? tx : ""), "network": "eip155:84532", "payer": .string(payer)]
        return Base64.encode(doc.encodedBytes())
    }

    static let paymentID = PaymentIdentifier("pay_" + String(repeating: "0", count: 32))!

    static func context(_ config: PurseConfig, now: Int64 = 1_800_000_000, maxPrice: Int64? = nil, offerSigners: [Address] = []) -> FlowContext {
        FlowContext(payer: payerAddress, now: now, nonce: nonce, paymentIdentifier: paymentID,
                    policy: Policy(config: config), maxPrice: maxPrice.map(Micros.init), validityCeilingSeconds: config.payment.validityCeilingSeconds,
                    maxPaidAttempts: config.payment.maxPaidAttempts, signIn: config.payment.signIn, offerSigners: offerSigners)
    }

    static let request = HTTPRequest(method: "GET", url: "http://seller.test/weather")
    static let resource = PaymentResource(method: "GET", url: "http://seller.test/weather", host: HostName("seller.test"),
                                          origin: WebOrigin(scheme: "http", host: "seller.test", port: 80), path: "/weather")

    /// The offer of an HTTP 402 response, as the HTTP channel reads it.
    static func offer(_ response: HTTPResponse) throws -> PaymentRequired {
        guard case let .offer(o) = HTTPPaymentChannel.unpaidAnswer(response) else { throw PurseError("fixture", "not an offer") }
        return o
    }

    /// A signature-shaped payload for the plan (the bytes do not matter to the flow).
    static func authorization(_ plan: PaymentPlan) -> SchemePayload {
        switch plan.authorization {
        case let .eip3009(a):
            return .eip3009(SignedAuthorization(from: a.from, to: a.to, value: a.value, validAfter: a.validAfter,
                                                validBefore: a.validBefore, nonce: a.nonce, signature: Array(repeating: 0xcd, count: 65)))
        case let .permit2(p):
            return .permit2(SignedPermit2Transfer(from: p.from, token: p.token, amount: p.amount, spender: p.spender, nonce: p.nonce,
                                                  deadline: p.deadline, witness: p.witness, signature: Array(repeating: 0xcd, count: 65)))
        case let .solanaExact(p):
            return .solana(SignedSolanaTransaction(transactionBase64: SolanaTransaction(unsigned: p.message).base64, payerSignature: "1"))
        }
    }
}

extension PaymentPlan {
    /// The EIP-3009 part of the plan (tests of the default method read its fields).
    var eip3009: EIP3009Plan? {
        if case let .eip3009(a) = authorization { return a }
        return nil
    }

    /// The Permit2 part of the plan.
    var permit2: Permit2Plan? {
        if case let .permit2(p) = authorization { return p }
        return nil
    }
}

// MARK: - Solana `exact`

extension WalletFixture {
    /// The policy of the Solana tests: base-sepolia and Solana devnet allowed.
    static let solanaPolicy = #"{"maxPerRequest":"0.10","allowNetworks":["eip155:84532","\#(SolanaFlowTests.devnet)"]}"#

    /// The wallet's keys with the Solana keypair of `SolanaFlowTests`.
    static var solanaSigner: KeySigner { KeySigner(key: try! PrivateKey(hex: payerKeyHex), solana: SolanaFlowTests.keypair) }

    /// A flow context whose wallet has the Solana key (unless `solana` is false), with the human's
    /// compute-price caps `caps`.
    static func solanaContext(_ config: PurseConfig, now: Int64 = SolanaFlowTests.now, caps: [String: UInt64] = [:], solana: Bool = true,
                              offerSigners: [Address] = []) -> FlowContext {
        var c = context(config, now: now, offerSigners: offerSigners)
        c.solanaPayer = solana ? SolanaFlowTests.keypair.publicKey.account.solanaAddress : nil
        c.solanaPriceCaps = caps
        return c
    }

    /// A Solana `exact` payment as the flow plans `SolanaFlowTests.entry(amount:)` (with
    /// `SolanaFlowTests.facts`) and `solanaSigner` signs it: the plan, what was signed and the
    /// payload that goes to the seller (and into the ledger as the signed payload).
    struct SolanaPayment {
        let plan: PaymentPlan
        let exact: SolanaExactPlan
        let signed: SignedSolanaTransaction
        let payload: PaymentPayload

        /// The transaction as sent: the fee payer's slot empty, the payer's signed.
        var transaction: SolanaTransaction { try! SolanaTransaction(base64: signed.transactionBase64) }
        /// What the ledger and the chain know it by.
        var reference: SolanaPaymentReference { SolanaPaymentReference(transaction: transaction)! }
    }

    static func solanaPayment(amount: String = "10000") throws -> SolanaPayment {
        var f = PaymentFlow(resource: resource, context: solanaContext(try config(solanaPolicy)))
        _ = f.start()
        guard case .readChain(.solanaPayment) = f.unpaidAnswered(.offer(try offer(paymentRequired([SolanaFlowTests.entry(amount: amount)])))),
              case let .reserve(plan) = f.chainAnswered(SolanaFlowTests.facts), case let .solanaExact(exact) = plan.authorization,
              f.reserved() == .sign(plan), case let .solana(signed) = try solanaSigner.sign(plan),
              case let .sendPaid(payload, 1, 0) = f.signed(.solana(signed))
        else { throw PurseError("fixture", "the flow did not plan and send a Solana payment") }
        return SolanaPayment(plan: plan, exact: exact, signed: signed, payload: payload)
    }
}
