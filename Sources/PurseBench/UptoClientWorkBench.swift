import EVM
import Foundation
import HTTP
import Ledger
import PurseCore
import PurseTesting
import Wallet
import X402

/// Client work per paid `upto` request (a Permit2 witness transfer of at most 0.05, settled at
/// 0.0123), stage by stage like `ClientWorkBench`'s EIP-3009 numbers: parse, select and ask the
/// chain, plan from the chain's answer (an in-memory allowance: the RPC round trip is the node's
/// time, not the client's), nonce, durable reservation, mark sent, Permit2 EIP-712 hash, sign,
/// encode, and the settlement that records the charge and frees the rest.
struct UptoClientWorkBench {
    let runs: Int

    /// An allowance the bench's chain always has (the RPC itself is not client work).
    struct AllowedChain: ChainReader {
        func answer(_ question: ChainQuestion) async -> Result<ChainAnswer, FlowRefusal> {
            .success(.permit2Allowance(Permit2Allowance(allowance: .max)))
        }
    }

    static let facilitator = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"

    /// The `upto` 402: at most 50000 atomic units, settled by `facilitator`.
    static func paymentRequired(url: String = "http://127.0.0.1/infer") -> HTTPResponse {
        let offer: JSONValue = [
            "x402Version": 2, "error": "Payment required",
            "resource": ["url": .string(url), "description": "bench", "mimeType": "application/json"],
            "accepts": [[
                "scheme": "upto", "network": "eip155:84532", "asset": .string(BenchRig.token), "amount": "50000",
                "payTo": .string(BenchRig.payTo), "maxTimeoutSeconds": 300,
                "extra": ["name": "USDC", "version": "2", "assetTransferMethod": "permit2", "facilitatorAddress": .string(facilitator)],
            ]],
        ]
        return HTTPResponse(status: 402, headers: HTTPHeaders([("PAYMENT-REQUIRED", Base64.encode(offer.encodedBytes())), ("Content-Type", "application/json")]),
                            body: Array("{}".utf8), truncated: false, redirectLocation: nil, effectiveURL: url)
    }

    func run() async throws -> JSONValue {
        let rig = try BenchRig()
        defer { rig.cleanup() }
        let policy = Policy(config: rig.config)
        let signer = KeySigner(key: rig.key)
        let response = Self.paymentRequired()
        let names = ["parse", "select, ask the chain", "plan (allowance answered)", "nonce (CSPRNG)", StageClock.durableReserve,
                     "mark sent (not fsynced)", "Permit2 EIP-712 hash + secp256k1 sign", "encode header", "settle: charge 0.0123, free the rest"]
        let clock = StageClock()
        var peerStages = [Double](), all = [Double]()
        let resource = PaymentResource(method: "GET", url: "http://127.0.0.1/infer", host: HostName("127.0.0.1"))
        let receipt = try SettlementResponse.decode(Base64.encode(JSONValue.object([
            "success": true, "transaction": .string("0x" + String(repeating: "ab", count: 32)), "network": "eip155:84532", "amount": "12300",
        ]).encodedBytes()), field: "PAYMENT-RESPONSE")
        for i in 0..<(runs + 50) {
            clock.beginRun()
            let t0 = nowMs()
            let offer = try clock.time("parse") { try PaymentRequiredParser.parse(header: { response.headers[$0] }, body: response.body) }
            let nonce = try clock.time("nonce (CSPRNG)") { try Nonce32(bytes: PaymentDriver.systemRandom(32)) }
            let now = Int64(Date().timeIntervalSince1970)
            var flow = PaymentFlow(resource: resource, context: FlowContext(
                payer: rig.key.address, now: now, nonce: nonce, paymentIdentifier: PaymentIdentifier(random: PaymentDriver.systemRandom(16)),
                policy: policy, maxPrice: nil))
            _ = flow.start()
            let asked = clock.time("select, ask the chain") { flow.unpaidAnswered(.offer(offer)) }
            guard case .readChain = asked else { throw PurseError("bench", "expected a chain question, got \(asked)") }
            let planned = clock.time("plan (allowance answered)") { flow.chainAnswered(.success(.permit2Allowance(Permit2Allowance(allowance: .max)))) }
            guard case let .reserve(plan) = planned else { throw PurseError("bench", "expected a plan, got \(planned)") }
            let payment = NewPayment(
                sessionID: rig.session.id, method: "GET", url: resource.url, host: resource.host, network: plan.network, asset: plan.token,
                assetSymbol: "USDC", decimals: 6, payTo: plan.payTo, amountAtomic: 50_000, micros: plan.micros, scheme: "upto", x402Version: 2,
                authorization: plan.reference, validBefore: plan.validBefore, payer: plan.payer, maxAmountAtomic: 50_000)
            let row = try clock.time(StageClock.durableReserve) {
                try rig.ledger.reserve(payment, limits: BudgetLimits(perRequest: Micros(100_000), session: Micros(1 << 50), daily: Micros(1 << 50)), now: Date())
            }
            _ = flow.reserved()
            try clock.time("mark sent (not fsynced)") { try rig.ledger.markSent(id: row.id, now: Date()) }
            let signed = try clock.time("Permit2 EIP-712 hash + secp256k1 sign") { try signer.sign(plan) }
            let action = clock.time("encode header") { flow.signed(signed) }
            guard case .sendPaid = action else { throw PurseError("bench", "expected sendPaid") }
            guard case let .finish(outcome) = flow.paidAnswered(.delivered(receipt: receipt, receiptProblem: nil)), let charge = outcome.charge else {
                throw PurseError("bench", "expected a charge")
            }
            try clock.time("settle: charge 0.0123, free the rest") {
                try rig.ledger.markSettled(id: row.id, charge: charge, txHash: receipt.transaction, httpStatus: 200, now: Date())
            }
            let total = nowMs() - t0
            if i < 50 { clock.discardRun(); continue }   // warm-up
            all.append(total)
            // The stages EIP-3009's "peer's stages" number covers, for a like-for-like comparison:
            // parse, select (here with planning), nonce, hash, sign, encode.
            peerStages.append(clock.lastSum(["parse", "select, ask the chain", "plan (allowance answered)", "nonce (CSPRNG)",
                               "Permit2 EIP-712 hash + secp256k1 sign", "encode header"]))
        }
        let stageJSON = Stats.stages(clock.samples, names: names)
        let driver = try await InMemoryDriverBench.run(rig: rig, runs: runs, required: Self.paymentRequired(), receipt: InMemoryDriverBench.receipt(amount: "12300"),
                                                      chain: AllowedChain(), path: "/infer")
        let peer = Stats(peerStages), total = Stats(all)
        return [
            "stages": stageJSON,
            "same_stages_as_peer_ms": peer.summary,
            "with_durable_reservation_and_settlement_ms": total.summary,
            "driver_in_memory_ms": driver.summary,
        ]
    }
}
