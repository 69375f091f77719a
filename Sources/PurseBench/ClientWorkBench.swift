import EVM
import Foundation
import HTTP
import Ledger
import PurseCore
import PurseTesting
import Wallet
import X402

/// Client work per paid request, from the 402 received to the paid retry ready to send.
struct ClientWorkBench {
    let runs: Int

    func run() async throws -> JSONValue {
        let rig = try BenchRig()
        defer { rig.cleanup() }
        let policy = Policy(config: rig.config)
        let response = BenchRig.paymentRequired()
        let clock = StageClock()
        var peerStages = [Double](), all = [Double]()
        for i in 0..<(runs + 50) {
            clock.beginRun()
            let t0 = nowMs()
            let offer = try clock.time("parse") { try PaymentRequiredParser.parse(header: { response.headers[$0] }, body: response.body) }
            let selection = clock.time("select") { RequirementSelector.select(offer, policy: policy.selectionPolicy(maxPrice: nil)) }
            let (req, payTo, token) = try Self.terms(selection)
            guard let micros = selection.chosen?.micros else { throw PurseError("bench", "no option") }
            let nonce = try clock.time("nonce (CSPRNG)") { try Nonce32(bytes: PaymentDriver.systemRandom(32)) }
            let now = Int64(Date().timeIntervalSince1970)
            let payment = NewPayment(
                sessionID: rig.session.id, method: "GET", url: "http://127.0.0.1/paid", host: HostName("127.0.0.1"), network: "eip155:84532",
                asset: token, assetSymbol: "USDC", decimals: 6, payTo: payTo, amountAtomic: req.amount.value, micros: micros, scheme: "exact",
                x402Version: 2, nonce: nonce, validBefore: now + 300, payer: rig.key.address)
            let t1 = nowMs()
            _ = try clock.time(StageClock.durableReserve) {
                try rig.ledger.reserve(payment, limits: BudgetLimits(perRequest: Micros(100_000), session: Micros(1 << 50), daily: Micros(1 << 50)), now: Date())
            }
            let reserveMs = nowMs() - t1
            let row = try rig.ledger.payments(PaymentFilter(limit: 1)).first!
            try clock.time("mark sent (not fsynced)") { try rig.ledger.markSent(id: row.id, now: Date()) }
            let digest = clock.time("EIP-712 hash") { Self.digest(rig: rig, req: req, payTo: payTo, token: token, nonce: nonce, now: now) }
            let signature = clock.time("secp256k1 sign") { rig.key.sign(digest: digest) }
            _ = clock.time("encode header") {
                Self.header(rig: rig, offer: offer, req: req, payTo: payTo, nonce: nonce, now: now, signature: signature)
            }
            let total = nowMs() - t0
            if i < 50 { clock.discardRun(); continue }   // warm-up
            all.append(total)
            // The stages the peer's number covers: parse, select, nonce, hash, sign, encode.
            peerStages.append(clock.lastSum(["parse", "select", "nonce (CSPRNG)", "EIP-712 hash", "secp256k1 sign", "encode header"]))
            _ = reserveMs
        }
        let tight = try tightLoop(rig: rig, policy: policy, response: response)
        let stageJSON = Stats.stages(clock.samples, names: ["parse", "select", "nonce (CSPRNG)", StageClock.durableReserve, "mark sent (not fsynced)", "EIP-712 hash", "secp256k1 sign", "encode header"])
        let flow = try await InMemoryDriverBench.run(rig: rig, runs: runs, required: BenchRig.paymentRequired(), receipt: InMemoryDriverBench.receipt(), path: "/paid")
        let peer = Stats(peerStages), total = Stats(all)
        let upto = try await UptoClientWorkBench(runs: runs).run()
        let solana = try await SolanaClientWorkBench(runs: runs).run()
        return [
            "upto": upto,
            "solana": solana,
            "runs": .integer(runs),
            "stages": stageJSON,
            "same_stages_as_peer_ms": peer.summary,
            "same_stages_tight_loop_ms": tight.summary,
            "with_durable_reservation_ms": total.summary,
            "driver_in_memory_ms": flow.summary,
        ]
    }
}

/// Formats milliseconds with four decimals for JSON.
extension ClientWorkBench {
    /// The peer's stages timed as the peer's bench times its own (`bench/peers.py`,
    /// `bench_sdk_client_work`): one clock around parse → select → nonce → hash → sign → header,
    /// back to back, with nothing between two runs. The staged loop above puts the durable
    /// reservation and the sent mark (an fsync, SQLite, thread switches) between the stages,
    /// which leaves each stage with cold caches, and reads the clock eight times per run; it
    /// says where the time goes, this says what the same work costs measured the peer's way.
    func tightLoop(rig: BenchRig, policy: Policy, response: HTTPResponse) throws -> Stats {
        let selectionPolicy = policy.selectionPolicy(maxPrice: nil)
        var samples = [Double]()
        samples.reserveCapacity(runs)
        for i in 0..<(runs + 50) {
            let t0 = nowMs()
            let offer = try PaymentRequiredParser.parse(header: { response.headers[$0] }, body: response.body)
            let (req, payTo, token) = try Self.terms(RequirementSelector.select(offer, policy: selectionPolicy))
            let nonce = try Nonce32(bytes: PaymentDriver.systemRandom(32))
            let now = Int64(Date().timeIntervalSince1970)
            let signature = rig.key.sign(digest: Self.digest(rig: rig, req: req, payTo: payTo, token: token, nonce: nonce, now: now))
            let header = Self.header(rig: rig, offer: offer, req: req, payTo: payTo, nonce: nonce, now: now, signature: signature)
            let elapsed = nowMs() - t0
            guard !header.isEmpty else { throw PurseError("bench", "empty header") }
            if i >= 50 { samples.append(elapsed) }   // warm-up, as the peer's
        }
        return Stats(samples)
    }

    /// The tight loop alone, without the staged loop and the other schemes around it, so a
    /// profiler's samples are the client work's.
    func tightOnly() throws -> JSONValue {
        let rig = try BenchRig()
        defer { rig.cleanup() }
        let stats = try tightLoop(rig: rig, policy: Policy(config: rig.config), response: BenchRig.paymentRequired())
        return ["runs": .integer(runs), "same_stages_tight_loop_ms": stats.summary]
    }

    /// The chosen option's requirement, payee and token, which both loops pay.
    static func terms(_ selection: Selection) throws -> (PaymentRequirement, Address, Address) {
        guard let chosen = selection.chosen, let req = chosen.requirement, let payTo = chosen.payTo?.evmAddress,
              let token = chosen.token?.evmAddress else { throw PurseError("bench", "no option") }
        return (req, payTo, token)
    }

    /// The EIP-712 digest of the EIP-3009 authorization both loops sign (valid from ten minutes
    /// before `now` to five after, as the driver signs it).
    static func digest(rig: BenchRig, req: PaymentRequirement, payTo: Address, token: Address, nonce: Nonce32, now: Int64) -> [UInt8] {
        TransferWithAuthorization(
            from: rig.key.address, to: payTo, value: UInt256(UInt64(req.amount.value)),
            validAfter: UInt256(UInt64(now - 600)), validBefore: UInt256(UInt64(now + 300)), nonce: nonce.bytes)
            .digest(domain: EIP712Domain(name: "USDC", version: "2", chainId: 84532, verifyingContract: token))
    }

    /// The payment header of that signed authorization.
    static func header(rig: BenchRig, offer: PaymentRequired, req: PaymentRequirement, payTo: Address, nonce: Nonce32,
                       now: Int64, signature: Signature) -> String {
        PaymentPayload(offer: offer, requirement: req, scheme: SignedAuthorization(
            from: rig.key.address, to: payTo, value: req.amount.value, validAfter: now - 600,
            validBefore: now + 300, nonce: nonce, signature: signature.bytes).json, paymentIdentifier: nil).base64
    }
}

func fmt(_ ms: Double) -> String { String(format: "%.4f", ms) }
