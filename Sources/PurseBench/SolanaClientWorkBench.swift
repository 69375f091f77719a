import Foundation
import HTTP
import Ledger
import PurseCore
import Solana
import Wallet
import X402

/// Client work per paid Solana `exact` request, stage by stage like `ClientWorkBench`'s EIP-3009
/// numbers: parse, select and ask the chain, plan from the chain's answer (the mint's program
/// and decimals and a blockhash, in memory: the RPC round trips are the node's time), which
/// builds the v0 message, derives both ATAs (our own off-curve check) and checks it, then the
/// durable reservation, mark sent, rebuild + check + Ed25519 sign, and encode.
struct SolanaClientWorkBench {
    let runs: Int

    static let devnet = Network.solanaDevnet
    static let mint = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
    static let seller = "ASJrSyGX38vgSSRcXkUry1n3i9UiNtABVXNrWMeb1Ci4"
    static let feePayer = "EUem55YzGBiGHrLihzJ2TK8tQkoK5RYCQYS1sEcZRuw1"

    /// The world's `/sol/weather` 402: 10000 atomic units of devnet USDC, with a blockhash.
    static func paymentRequired(blockhash: SolanaHash, url: String = "http://127.0.0.1/sol") -> HTTPResponse {
        let offer: JSONValue = [
            "x402Version": 2, "error": "Payment required",
            "resource": ["url": .string(url), "description": "bench", "mimeType": "application/json"],
            "accepts": [[
                "scheme": "exact", "network": .string(devnet), "asset": .string(mint), "amount": "10000",
                "payTo": .string(seller), "maxTimeoutSeconds": 300,
                "extra": ["feePayer": .string(feePayer), "recentBlockhash": .string(blockhash.base58), "lastValidBlockHeight": "150"],
            ]],
        ]
        return HTTPResponse(status: 402, headers: HTTPHeaders([("PAYMENT-REQUIRED", Base64.encode(offer.encodedBytes())), ("Content-Type", "application/json")]),
                            body: Array("{}".utf8), truncated: false, redirectLocation: nil, effectiveURL: url)
    }

    func run() async throws -> JSONValue {
        let rig = try BenchRig()
        defer { rig.cleanup() }
        let text = #"{"networks":{"\#(Self.devnet)":{"rpcUrl":"http://127.0.0.1:1"}},"policy":{"maxPerRequest":"0.10","sessionBudget":"1000000","dailyBudget":"1000000"}}"#
        let config = try PurseConfig.parse(Array(text.utf8))
        let policy = Policy(config: config)
        let keypair = SolanaKeypair.generate()
        let signer = KeySigner(key: rig.key, solana: keypair)
        let blockhash = try SolanaHash(bytes: PaymentDriver.systemRandom(32))
        let response = Self.paymentRequired(blockhash: blockhash)
        let facts = SolanaPaymentFacts(mint: .success(SolanaMint(tokenProgram: .token, decimals: 6)))
        let names = ["parse", "select, ask the chain", "plan: message, ATAs, checks, digest", "nonce (CSPRNG)", StageClock.durableReserve,
                     "mark sent (durable: reconcile needs the transaction)", "rebuild + check + Ed25519 sign", "encode header"]
        let clock = StageClock()
        var peerStages = [Double](), all = [Double]()
        let resource = PaymentResource(method: "GET", url: "http://127.0.0.1/sol", host: HostName("127.0.0.1"))
        for i in 0..<(runs + 50) {
            clock.beginRun()
            let t0 = nowMs()
            let offer = try clock.time("parse") { try PaymentRequiredParser.parse(header: { response.headers[$0] }, body: response.body) }
            let nonce = try clock.time("nonce (CSPRNG)") { try Nonce32(bytes: PaymentDriver.systemRandom(32)) }
            var flow = PaymentFlow(resource: resource, context: FlowContext(
                payer: rig.key.address, now: Int64(Date().timeIntervalSince1970), nonce: nonce,
                paymentIdentifier: PaymentIdentifier(random: PaymentDriver.systemRandom(16)), policy: policy, maxPrice: nil,
                solanaPayer: signer.solanaAddress))
            _ = flow.start()
            let asked = clock.time("select, ask the chain") { flow.unpaidAnswered(.offer(offer)) }
            guard case .readChain = asked else { throw PurseError("bench", "expected a chain question, got \(asked)") }
            let planned = clock.time("plan: message, ATAs, checks, digest") { flow.chainAnswered(.success(.solanaPayment(facts))) }
            guard case let .reserve(plan) = planned else { throw PurseError("bench", "expected a plan, got \(planned)") }
            let payment = NewPayment(
                sessionID: rig.session.id, method: "GET", url: resource.url, host: resource.host, network: plan.network, asset: plan.token,
                assetSymbol: "USDC", decimals: 6, payTo: plan.payTo, amountAtomic: 10_000, micros: plan.micros, scheme: "exact", x402Version: 2,
                authorization: plan.reference, validBefore: plan.validBefore, payer: plan.payer)
            let row = try clock.time(StageClock.durableReserve) {
                try rig.ledger.reserve(payment, limits: BudgetLimits(perRequest: Micros(100_000), session: Micros(1 << 50), daily: Micros(1 << 50)), now: Date())
            }
            _ = flow.reserved()
            try clock.time("mark sent (durable: reconcile needs the transaction)") {
                try rig.ledger.markSent(id: row.id, signedPayload: nil, durable: plan.method.reconcileNeedsSignedPayload, now: Date())
            }
            let signed = try clock.time("rebuild + check + Ed25519 sign") { try signer.sign(plan) }
            let action = clock.time("encode header") { flow.signed(signed) }
            guard case .sendPaid = action else { throw PurseError("bench", "expected sendPaid") }
            let total = nowMs() - t0
            if i < 50 { clock.discardRun(); continue }   // warm-up
            all.append(total)
            // The stages EIP-3009's "peer's stages" number covers: parse, select (here with the
            // plan, where the transaction is built and checked), nonce, sign, encode.
            peerStages.append(clock.lastSum(["parse", "select, ask the chain", "plan: message, ATAs, checks, digest", "nonce (CSPRNG)",
                               "rebuild + check + Ed25519 sign", "encode header"]))
        }
        let stageJSON = Stats.stages(clock.samples, names: names)
        let peer = Stats(peerStages), total = Stats(all)
        return [
            "stages": stageJSON,
            "same_stages_as_peer_ms": peer.summary,
            "with_durable_reservation_ms": total.summary,
        ]
    }
}
