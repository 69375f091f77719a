import BlockingWork
import EVM
import Foundation
import HTTP
import Ledger
import PurseCore
import PurseTesting
import Solana
import Testing
@testable import Wallet
@testable import X402

/// An in-memory x402 seller: answers 402 without a payment header, checks the signature of a
/// paid request (it must recover to the payer) and answers with a receipt.
final class FakeSeller: @unchecked Sendable {
    let lock = NSLock()
    var paidHeaders: [String] = []
    var paidStatus: [Int] = []          // statuses to answer paid requests with, in order; default 200
    var delayMs = 0
    var price = "10000"
    var network = "eip155:84532"
    /// When set, a paid request reports its arrival here and waits for `release` before answering.
    var arrived: AsyncStream<Bool>.Continuation?
    var release: Latch?
    /// Whether the task handling each paid request saw itself cancelled.
    var sawCancelled: [Bool] = []

    func handle(_ r: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        guard let header = r.headers["PAYMENT-SIGNATURE"] else {
            return WalletFixture.paymentRequired([WalletFixture.entry(amount: price, network: network)])
        }
        if let arrived, let release {
            arrived.yield(true)
            await release.wait()
            lock.withLock { sawCancelled.append(Task.isCancelled) }
        }
        if delayMs > 0 { try? await Task.sleep(for: .milliseconds(delayMs)) }
        let status: Int = lock.withLock {
            paidHeaders.append(header)
            return paidStatus.isEmpty ? 200 : paidStatus.removeFirst()
        }
        guard status == 200 else { return WalletFixture.response(status) }
        // Verify like a facilitator would: the signature must recover to `from`.
        guard let payload = try? JSONValue.parse(try Base64.decode(header)),
              let a = payload["payload"]?["authorization"], let sig = payload["payload"]?["signature"]?.stringValue,
              let from = try? Address(parsing: a["from"]?.stringValue ?? ""), let to = try? Address(parsing: a["to"]?.stringValue ?? ""),
              let nonce = try? Hex.decode(a["nonce"]?.stringValue ?? "", length: 32),
              let message = try? TransferWithAuthorization(
                  from: from, to: to, value: UInt256(decimal: a["value"]!.stringValue!), validAfter: UInt256(decimal: a["validAfter"]!.stringValue!),
                  validBefore: UInt256(decimal: a["validBefore"]!.stringValue!), nonce: nonce),
              let signature = try? Signature(hex: sig),
              let recovered = try? signature.recoverAddress(digest: message.digest(domain: EIP712Domain(
                  name: "USDC", version: "2", chainId: 84532, verifyingContract: try Address(parsing: WalletFixture.token)))),
              recovered == from
        else { return WalletFixture.response(402, headers: [("PAYMENT-RESPONSE", WalletFixture.receipt(success: false))]) }
        let tx = "0x" + Hex.encode(Keccak256.hash(Array(header.utf8)), prefix: false)
        return WalletFixture.response(200, headers: [("PAYMENT-RESPONSE", WalletFixture.receipt(tx: tx)), ("Content-Type", "application/json")], body: #"{"weather":"sunny"}"#)
    }
}

@Suite struct PaymentDriverTests {
    struct Rig {
        let seller: FakeSeller
        let ledger: SQLiteLedger
        let driver: PaymentDriver
        /// The ledger's directory, removed when the test drops the rig.
        let dir: ScratchDirectory
    }

    func rig(_ policy: String = #"{"maxPerRequest":"0.10"}"#) throws -> Rig {
        let dir = try ScratchDirectory("purse-drv")
        let ledger = try SQLiteLedger(path: dir.file("l.db"))
        let seller = FakeSeller()
        let http = InMemoryHTTPClient { r throws(HTTPError) in try await seller.handle(r) }
        let session = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let key = try PrivateKey(hex: WalletFixture.payerKeyHex)
        var config = try WalletFixture.config(policy)
        config.payment.maxPaidAttempts = 3
        let d = PaymentDriver(http: http, ledger: ledger, signer: KeySigner(key: key), config: config, sessionID: session.id)
        return Rig(seller: seller, ledger: ledger, driver: d, dir: dir)
    }

    @Test func paysOnceAndSettlesTheRow() async throws {
        let r = try rig()
        let result = await r.driver.fetch(WalletFixture.request)
        guard case .paid = result.outcome.kind else { Issue.record("expected paid, got \(result.outcome.kind)"); return }
        #expect(result.response?.status == 200)
        #expect(r.seller.paidHeaders.count == 1)
        let id = try #require(result.paymentID)
        let row = try #require(try r.ledger.payment(id: id))
        #expect(row.status == .settled)
        #expect(row.txHash == result.outcome.receipt?.transaction)
        #expect(row.amountAtomic == 10_000 && row.payer == .evm(WalletFixture.payerAddress) && row.micros == Micros(10_000))
        #expect(row.authorization == result.outcome.plan?.reference && row.host == HostName("seller.test"))
        #expect(result.budget?.sessionSpent == Micros(10_000))
        #expect(result.json()["payment"]?["transaction"]?.stringValue == row.txHash)
    }

    /// Records whether each durable step ran on a `BlockingWorkers` thread.
    final class ThreadWatchingLedger: ForwardingLedger, @unchecked Sendable {
        let inner: any PaymentLedger
        private let lock = NSLock()
        private var seen: [String: Bool] = [:]
        init(_ inner: any PaymentLedger) { self.inner = inner }
        var onWorkers: [String: Bool] { lock.withLock { seen } }
        func reserveWithUsage(_ payment: NewPayment, limits: BudgetLimits, now: Date) throws(LedgerReserveError) -> Reservation {
            lock.withLock { seen["reserve"] = BlockingWorkers.isCurrentThread }
            return try inner.reserveWithUsage(payment, limits: limits, now: now)
        }
        func markSent(id: Int64, signedPayload: String?, durable: Bool, now: Date) throws(LedgerError) {
            lock.withLock { seen["sent"] = BlockingWorkers.isCurrentThread }
            try inner.markSent(id: id, signedPayload: signedPayload, durable: durable, now: now)
        }
    }

    @Test("on BlockingWorkers the reservation and the sent mark run inline on the payment's thread; elsewhere they keep their hand-off", arguments: [true, false])
    func ledgerCallsRunInlineOnlyOnBlockingWorkers(preferWorkers: Bool) async throws {
        let r = try rig()
        let watched = ThreadWatchingLedger(r.ledger)
        let http = InMemoryHTTPClient { [seller = r.seller] req throws(HTTPError) in try await seller.handle(req) }
        let session = try r.ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let driver = PaymentDriver(http: http, ledger: watched, signer: KeySigner(key: try PrivateKey(hex: WalletFixture.payerKeyHex)),
                                   config: try WalletFixture.config(#"{"maxPerRequest":"0.10"}"#), sessionID: session.id)
        let result: FetchResult
        if preferWorkers {
            result = await withTaskExecutorPreference(BlockingWorkers(maxThreads: 4, idleSeconds: 1)) { await driver.fetch(WalletFixture.request) }
        } else {
            result = await driver.fetch(WalletFixture.request)
        }
        guard case .paid = result.outcome.kind else { Issue.record("expected paid, got \(result.outcome.kind)"); return }
        #expect(try r.ledger.payment(id: try #require(result.paymentID))?.status == .settled)
        #expect(r.seller.paidHeaders.count == 1)
        #expect(watched.onWorkers == ["reserve": preferWorkers, "sent": preferWorkers])
    }

    @Test func serverErrorsResendTheSameSignatureAndEndUnknown() async throws {
        let r = try rig()
        r.seller.paidStatus = [500, 503, 502]
        let result = await r.driver.fetch(WalletFixture.request)
        guard case .unknown = result.outcome.kind else { Issue.record("expected unknown"); return }
        #expect(r.seller.paidHeaders.count == 3)
        #expect(Set(r.seller.paidHeaders).count == 1)
        let id = try #require(result.paymentID)
        #expect(try r.ledger.payment(id: id)?.status == .unknown)
        // The unknown row still counts.
        #expect(result.budget?.sessionSpent == Micros(10_000))
    }

    @Test func sessionBudgetRefusesBeforeSigning() async throws {
        let r = try rig(#"{"sessionBudget":"0.025"}"#)
        var outcomes = [String]()
        for _ in 0..<3 { outcomes.append(await r.driver.fetch(WalletFixture.request).outcomeName) }
        #expect(outcomes == ["paid", "paid", "refused"])
        #expect(r.seller.paidHeaders.count == 2)
        let third = await r.driver.fetch(WalletFixture.request)
        #expect(third.error?.code == "budget.session_exceeded")
        #expect(third.error?.message.contains("0.005") == true, "\(third.error?.message ?? "")")
    }

    @Test func concurrentCallsHoldTheBudget() async throws {
        let r = try rig(#"{"sessionBudget":"0.05"}"#)
        let results = await withTaskGroup(of: String.self) { g in
            for _ in 0..<8 { g.addTask { await r.driver.fetch(WalletFixture.request).outcomeName } }
            var all = [String]()
            for await x in g { all.append(x) }
            return all
        }
        #expect(results.filter { $0 == "paid" }.count == 5)
        #expect(results.filter { $0 == "refused" }.count == 3)
        #expect(r.seller.paidHeaders.count == 5)
    }

    @Test func cancellingTheCallerNeverLeavesAHalfRecordedPayment() async throws {
        let r = try rig()
        let (arrivals, arrived) = AsyncStream<Bool>.makeStream()
        let release = Latch()
        r.seller.arrived = arrived
        r.seller.release = release
        let task = Task { await r.driver.fetch(WalletFixture.request) }
        // Wait until the paid request is at the seller, then cancel the caller mid-payment.
        var it = arrivals.makeAsyncIterator()
        _ = await it.next()
        task.cancel()
        #expect(task.isCancelled)
        release.fire()
        let result = await task.value
        // The cancel landed on the caller, but not on the payment: it completed and was recorded.
        #expect(r.seller.sawCancelled == [false])
        guard case .paid = result.outcome.kind else { Issue.record("expected paid, got \(result.outcome.kind)"); return }
        let rows = try r.ledger.payments(PaymentFilter())
        #expect(rows.count == 1 && rows.first?.status == .settled)
    }

    @Test func approvalAboveThresholdWithoutAHumanIsRefused() async throws {
        let r = try rig(#"{"confirmAbove":"0.005"}"#)
        let result = await r.driver.fetch(WalletFixture.request)
        #expect(result.error?.code == "approval.unsupported")
        #expect(result.error?.message.contains("policy.confirmAbove") == true)
        #expect(r.seller.paidHeaders.isEmpty)
        #expect(try r.ledger.payments(PaymentFilter()).first?.status == .failed)
    }

    @Test func quotePaysNothing() async throws {
        let r = try rig()
        let q = await r.driver.quote(WalletFixture.request)
        #expect(q.refusal == nil && q.selection?.chosen?.index == 0 && q.plan?.micros == Micros(10_000))
        #expect(q.json()["wouldPay"]?.boolValue == true)
        #expect(r.seller.paidHeaders.isEmpty)
        #expect(try r.ledger.payments(PaymentFilter()).isEmpty)
    }

    /// `quote` is a dry run of the decision `fetch` makes: for every kind of refusal, both give
    /// the same code and the same message.
    @Test(arguments: [
        (#"{"dailyBudget":"0.015"}"#, "budget.daily_exceeded", 1),
        (#"{"sessionBudget":"0.015"}"#, "budget.session_exceeded", 1),
        (#"{"perHost":{"seller.test":{"daily":"0.015"}}}"#, "budget.host_daily_exceeded", 1),
        (#"{"hosts":{"deny":["seller.test"]}}"#, "policy.host_denied", 0),
        (#"{"hosts":{"allow":["other.test"]}}"#, "policy.host_not_allowed", 0),
        (#"{"allowNetworks":["eip155:8453"]}"#, "policy.no_acceptable_option", 0),
        (#"{"maxPerRequest":"0.005"}"#, "policy.no_acceptable_option", 0),
    ])
    func quoteAndFetchRefuseAlike(policy: String, code: String, paidFirst: Int) async throws {
        let r = try rig(policy)
        for _ in 0..<paidFirst {
            let first = await r.driver.fetch(WalletFixture.request)
            #expect(first.outcomeName == "paid", "\(first.summary)")
        }
        let quote = await r.driver.quote(WalletFixture.request)
        let fetch = await r.driver.fetch(WalletFixture.request)
        let refusal = try #require(quote.refusal)
        #expect(refusal.code == code)
        #expect(fetch.error?.code == refusal.code)
        #expect(fetch.error?.message == refusal.message)
        #expect(quote.json()["wouldPay"]?.boolValue == false)
        #expect(r.seller.paidHeaders.count == paidFirst)
    }

    @Test func quoteReportsALedgerFailureInsteadOfWouldPay() async throws {
        let r = try rig()
        try r.ledger.executeRaw("DROP TABLE payment")
        let q = await r.driver.quote(WalletFixture.request)
        #expect(q.refusal?.code.hasPrefix("ledger.") == true, "\(String(describing: q.refusal))")
        #expect(q.json()["wouldPay"]?.boolValue == false)
    }

    @Test func aRequestCarryingItsOwnPaymentIsRefused() async throws {
        let r = try rig()
        var req = WalletFixture.request
        req.headers.add("x-payment", "abc")
        let result = await r.driver.fetch(req)
        #expect(result.error?.code == "request.payment_header_set" && result.outcomeName == "refused")
        #expect(r.seller.paidHeaders.isEmpty)
    }

    @Test func anUnusableURLIsAnErrorNotARefusal() async throws {
        let r = try rig()
        let result = await r.driver.fetch(HTTPRequest(url: "ftp://seller.test/x"))
        #expect(result.outcomeName == "error" && result.error?.code == "http.unsupported_scheme")
    }

    /// The budget a paid result reports is derived from the sums its reservation read plus what
    /// the row counts after the outcome, not read again: the same numbers as a fresh read, for
    /// every way a payment can end, with earlier payments in the session.
    @Test(arguments: [([200], "paid", Int64(10_000)), ([402], "failed", Int64(0)), ([500, 503, 502], "unknown", Int64(10_000))])
    func theBudgetAfterAPaymentComesFromItsReservationNotASecondRead(statuses: [Int], outcome: String, counted: Int64) async throws {
        let r = try rig()
        let earlier = await r.driver.fetch(WalletFixture.request)
        #expect(earlier.outcomeName == "paid")
        let counting = UsageCountingLedger(r.ledger)
        let d = PaymentDriver(http: InMemoryHTTPClient { req throws(HTTPError) in try await r.seller.handle(req) }, ledger: counting,
                              signer: KeySigner(key: try PrivateKey(hex: WalletFixture.payerKeyHex)), config: try WalletFixture.config(),
                              sessionID: r.driver.sessionID)
        r.seller.paidStatus = statuses
        let result = await d.fetch(WalletFixture.request)
        #expect(result.outcomeName == outcome)
        #expect(counting.usageReads == 0, "no budget read after the payment")
        let fresh = try r.ledger.usage(sessionID: r.driver.sessionID, host: nil, allHosts: false, now: Date())
        #expect(fresh.sessionSpent == Micros(10_000 + counted))
        #expect(result.budget?.sessionSpent == fresh.sessionSpent && result.budget?.dailySpent == fresh.dailySpent)
        #expect(result.budget?.sessionLimit == d.policy.config.sessionBudget)
    }

    /// Without a payment there is no reservation to derive the budget from: the result reads it.
    @Test func aFreeAnswerReadsTheBudget() async throws {
        let r = try rig()
        let counting = UsageCountingLedger(r.ledger)
        let http = InMemoryHTTPClient { _ throws(HTTPError) in WalletFixture.response(200, body: "free") }
        let d = PaymentDriver(http: http, ledger: counting, signer: KeySigner(key: try PrivateKey(hex: WalletFixture.payerKeyHex)),
                              config: try WalletFixture.config(), sessionID: r.driver.sessionID)
        let result = await d.fetch(WalletFixture.request)
        #expect(result.outcomeName == "not_required" && counting.usageReads == 1 && result.budget?.sessionSpent == Micros(0))
    }
}

/// Counts the budget reads (`usage`) a driver makes and forwards everything to the real ledger.
final class UsageCountingLedger: ForwardingLedger, @unchecked Sendable {
    let inner: any PaymentLedger
    private let lock = NSLock()
    private var reads = 0

    init(_ inner: any PaymentLedger) { self.inner = inner }

    var usageReads: Int { lock.withLock { reads } }

    func usage(sessionID: String, host: HostName?, allHosts: Bool, now: Date) throws(LedgerError) -> BudgetUsage {
        lock.withLock { reads += 1 }
        return try inner.usage(sessionID: sessionID, host: host, allHosts: allHosts, now: now)
    }
}

// MARK: - Solana `exact`

extension PaymentDriverTests {
    struct SolanaRig {
        let ledger: SQLiteLedger
        let driver: PaymentDriver
        let signer: CountingSigner
        let chain: CannedChain
        /// Each paid request: the header's name and its decoded payload.
        let paid: Locked<[(header: String, payload: JSONValue)]>
        /// The ledger's directory, removed when the test drops the rig.
        let dir: ScratchDirectory
    }

    /// The id a facilitator gives the Solana transaction of `payload`: its own signature in slot 0.
    static func cosignature(_ transaction: SolanaTransaction) -> SolanaSignature {
        try! SolanaKeypair(seed: Array(repeating: 5, count: 32)).sign(transaction.message.serialized())
    }

    /// A seller offering `entries`. A paid Solana request is checked like the facilitator would
    /// (the fee payer's slot empty, slot 1 the payer's signature of the message) and answered with
    /// a receipt naming the co-signed transaction; an EVM one is taken as it comes.
    func solanaRig(_ entries: [JSONValue], policy: String = WalletFixture.solanaPolicy, chain: CannedChain = CannedChain()) throws -> SolanaRig {
        let dir = try ScratchDirectory("purse-drv-sol")
        let ledger = try SQLiteLedger(path: dir.file("l.db"))
        let session = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let paid = Locked<[(header: String, payload: JSONValue)]>([])
        let http = InMemoryHTTPClient { r throws(HTTPError) in
            guard let name = PaymentPayload.httpHeaderNames.first(where: { r.headers[$0] != nil }), let header = r.headers[name] else {
                return WalletFixture.paymentRequired(entries)
            }
            let doc = (try? JSONValue.parse(try Base64.decode(header))) ?? .null
            paid.withLock { $0.append((name, doc)) }
            let network = doc["accepted"]?["network"]?.stringValue ?? ""
            var tx = "0x" + String(repeating: "ab", count: 32)
            if network.hasPrefix("solana:") {
                guard let b64 = doc["payload"]?["transaction"]?.stringValue, let t = try? SolanaTransaction(base64: b64), t.signatures.count == 2,
                      t.signatures[0].isEmpty, SolanaFlowTests.keypair.publicKey.isValidSignature(t.signatures[1], for: t.message.serialized())
                else { return WalletFixture.response(402, headers: [("PAYMENT-RESPONSE", WalletFixture.receipt(success: false))]) }
                tx = Self.cosignature(t).base58
            }
            let receipt: JSONValue = ["success": true, "transaction": .string(tx), "network": .string(network)]
            return WalletFixture.response(200, headers: [("PAYMENT-RESPONSE", Base64.encode(receipt.encodedBytes()))], body: "{}")
        }
        let signer = CountingSigner(WalletFixture.solanaSigner)
        let driver = PaymentDriver(http: http, ledger: ledger, signer: signer, config: try WalletFixture.config(policy), sessionID: session.id, chain: chain)
        return SolanaRig(ledger: ledger, driver: driver, signer: signer, chain: chain, paid: paid, dir: dir)
    }

    @Test func paysSolanaExactWithOneEd25519SignatureAndSettlesTheRow() async throws {
        let r = try solanaRig([SolanaFlowTests.entry()])
        let result = await r.driver.fetch(WalletFixture.request)
        guard case .paid = result.outcome.kind else { Issue.record("expected paid, got \(result.outcome.kind)"); return }
        #expect(r.signer.count == 1 && result.outcome.signatures == 1)
        // One mint-and-blockhash question, one paid request under the v2 header.
        #expect(r.chain.lock.withLock { r.chain.questions } == [.solanaPayment(SolanaPaymentQuestion(
            network: SolanaFlowTests.devnet, mint: try SolanaPublicKey(base58: SolanaFlowTests.mint), needsBlockhash: true))])
        let paid = r.paid.withLock { $0 }
        #expect(paid.map(\.header) == ["PAYMENT-SIGNATURE"])
        let sentText = try #require(paid.first?.payload["payload"]?["transaction"]?.stringValue)
        let sent = try SolanaTransaction(base64: sentText)
        // The transaction sent is the planned message, signed once by the payer.
        let plan = try #require(result.outcome.plan)
        guard case let .solanaExact(exact) = plan.authorization else { Issue.record("not a Solana plan"); return }
        #expect(plan.method == .exactSolana && sent.message == exact.message)
        #expect(plan.reference == .solana(message: try SolanaMessageDigest(bytes: sent.message.digest)))
        let reference = try #require(SolanaPaymentReference(transaction: sent))
        #expect(reference.amount == 10_000 && reference.payer == SolanaFlowTests.keypair.publicKey && reference.mint.base58 == SolanaFlowTests.mint)
        // The row: reserved under the message's digest, the payload kept, settled by the receipt's id.
        let id = try #require(result.paymentID)
        let row = try #require(try r.ledger.payment(id: id))
        let seller = try ChainAccount(parsing: SolanaFlowTests.seller)
        #expect(row.status == .settled && row.authorization == plan.reference && row.network == SolanaFlowTests.devnet)
        #expect(row.payer == SolanaFlowTests.keypair.publicKey.account && row.payTo == seller)
        #expect(row.amountAtomic == 10_000 && row.micros == Micros(10_000) && row.scheme == "exact")
        #expect(row.txHash == Self.cosignature(sent).base58)
        #expect(SolanaProbe.transaction(inPayload: try #require(row.signedPayload)) == sent)
        #expect(result.budget?.sessionSpent == Micros(10_000))
    }

    /// Reconcile finds a Solana payment only through its stored transaction, so its sent mark
    /// reaches the disk before the transaction leaves; an EIP-3009 one (found by its nonce) may
    /// trail. Counted through the ledger's WAL syncs: one per reservation, one per durable mark.
    @Test func theSentMarkIsDurableExactlyWhenReconcileNeedsThePayload() async throws {
        /// Counts the WAL syncs of `ledger`, still making each.
        func countingSyncs(_ ledger: SQLiteLedger) -> Locked<Int> {
            let count = Locked(0)
            ledger.syncLog = { db, path in
                count.withLock { $0 += 1 }
                try WALSync.sync(db, path: path)
            }
            return count
        }
        let solana = try solanaRig([SolanaFlowTests.entry()])
        let solanaSyncs = countingSyncs(solana.ledger)
        let evm = try rig()
        let evmSyncs = countingSyncs(evm.ledger)
        for (driver, what) in [(solana.driver, "Solana"), (evm.driver, "EVM")] {
            let result = await driver.fetch(WalletFixture.request)
            guard case .paid = result.outcome.kind else { Issue.record("\(what): expected paid, got \(result.outcome.kind)"); return }
        }
        #expect(solanaSyncs.withLock { $0 } == 2, "the reservation and the sent mark")
        #expect(evmSyncs.withLock { $0 } == 1, "the reservation only")
    }

    /// Records how each sent mark was made, forwarding both calls to the real ledger.
    final class MarkWatchingLedger: ForwardingLedger, @unchecked Sendable {
        let inner: any PaymentLedger
        let marks = Locked<[String]>([])
        init(_ inner: any PaymentLedger) { self.inner = inner }
        var queuesWrites: Bool { inner.queuesWrites }
        func markSent(id: Int64, signedPayload: String?, durable: Bool, now: Date) throws(LedgerError) {
            marks.withLock { $0.append(durable ? "written first, durable" : "written first") }
            try inner.markSent(id: id, signedPayload: signedPayload, durable: durable, now: now)
        }
        func markSentQueued(id: Int64, signedPayload: String?, now: Date, failed: @escaping @Sendable (LedgerError) -> Void) -> Bool {
            marks.withLock { $0.append("queued") }
            return inner.markSentQueued(id: id, signedPayload: signedPayload, now: now, failed: failed)
        }
        func recordQueued(_ outcome: OutcomeWrite, id: Int64, now: Date, failed: @escaping @Sendable (LedgerError) -> Void) -> Bool {
            inner.recordQueued(outcome, id: id, now: now, failed: failed)
        }
    }

    /// The sent mark of a payment found by its nonce trails the send: queued when the answer is
    /// in, ahead of the outcome's write, so the row ends settled with its payload; a Solana
    /// payment's is written (and synced) before its transaction leaves.
    @Test func theSentMarkTrailsTheSendExactlyWhenReconcileDoesNotNeedThePayload() async throws {
        /// Pays once through `driver` (the rig's, with `watched` in place of its ledger).
        func pay(_ driver: PaymentDriver, _ watched: MarkWatchingLedger, _ what: String) async throws -> [String] {
            let result = await driver.fetch(WalletFixture.request)
            let drained = await offPool { QueuedLedgerWrites.drain() }  // never block a cooperative-pool thread
            #expect(drained)
            guard case .paid = result.outcome.kind else { Issue.record("\(what): expected paid, got \(result.outcome.kind)"); return [] }
            let id = try #require(result.paymentID)
            let row = try #require(try watched.inner.payment(id: id))
            #expect(row.status == .settled && row.signedPayload != nil, "\(what)")
            return watched.marks.withLock { $0 }
        }
        let evm = try rig()
        let evmLedger = MarkWatchingLedger(evm.ledger)
        let evmDriver = PaymentDriver(http: evm.driver.http, ledger: evmLedger, signer: evm.driver.signer, config: try WalletFixture.config(#"{"maxPerRequest":"0.10"}"#),
                                      sessionID: evm.driver.sessionID)
        #expect(try await pay(evmDriver, evmLedger, "EVM") == ["queued"])
        let solana = try solanaRig([SolanaFlowTests.entry()])
        let solanaLedger = MarkWatchingLedger(solana.ledger)
        let solanaDriver = PaymentDriver(http: solana.driver.http, ledger: solanaLedger, signer: solana.signer,
                                         config: try WalletFixture.config(WalletFixture.solanaPolicy), sessionID: solana.driver.sessionID, chain: solana.chain)
        #expect(try await pay(solanaDriver, solanaLedger, "Solana") == ["written first, durable"])
    }

    /// Tampered or malformed Solana offers, and a mint the chain describes otherwise: refused
    /// before anything is reserved or signed, by quote and fetch alike. `code` is the call's
    /// error, `reason` the option's.
    @Test(arguments: [
        ("fee payer is the payer", SolanaFlowTests.entry(extra: ["feePayer": .string(SolanaFlowTests.keypair.publicKey.base58)]), false,
         "solana.fee_payer_is_payer", "solana.fee_payer_is_payer", 0),
        ("another mint", SolanaFlowTests.entry(asset: "4p3wozU1dfXe4eYbMfm3RSCi2F9D38bqzyTPbAkc8qnD"), false,
         "policy.no_acceptable_option", "option.asset_unknown", 0),
        ("payee not an address", SolanaFlowTests.entry(payTo: "0xNotBase58"), false, "policy.no_acceptable_option", "option.pay_to_invalid", 0),
        ("instructions requested", SolanaFlowTests.entry(extra: ["instructions": .array([])]), false,
         "solana.instructions_requested", "solana.instructions_requested", 0),
        ("mint decimals differ", SolanaFlowTests.entry(), true, "solana.mint_mismatch", "solana.mint_mismatch", 1),
    ] as [(String, JSONValue, Bool, String, String, Int)])
    func aTamperedSolanaOfferIsRefusedBeforeReserving(what: String, entry: JSONValue, nineDecimals: Bool, code: String, reason: String,
                                                      questions: Int) async throws {
        let chain = CannedChain(solana: nineDecimals
            ? .success(.solanaPayment(SolanaPaymentFacts(mint: .success(SolanaMint(tokenProgram: .token, decimals: 9)), blockhash: SolanaFlowTests.blockhash)))
            : SolanaFlowTests.facts)
        let r = try solanaRig([entry], chain: chain)
        let quote = await r.driver.quote(WalletFixture.request)
        #expect(quote.refusal?.code == code, "\(what)")
        #expect(quote.json()["options"]?.arrayValue?.first?["reasonCodes"] == [.string(reason)], "\(what)")
        let result = await r.driver.fetch(WalletFixture.request)
        #expect(result.outcomeName == "refused" && result.error?.code == code, "\(what): \(result.summary)")
        #expect(result.outcome.signatures == 0 && r.signer.count == 0, "\(what)")
        #expect(r.chain.lock.withLock { r.chain.questions.count } == 2 * questions, "\(what)")
        #expect(try r.ledger.payments(PaymentFilter()).isEmpty, "\(what)")
        #expect(r.paid.withLock { $0 }.isEmpty, "\(what)")
    }

    /// EVM and Solana offered together: the cheapest option the policy allows is paid.
    @Test(arguments: [
        ("20000", "10000", WalletFixture.solanaPolicy, SolanaFlowTests.devnet),
        ("10000", "20000", WalletFixture.solanaPolicy, "eip155:84532"),
        ("20000", "10000", #"{"maxPerRequest":"0.10","allowNetworks":["eip155:84532"]}"#, "eip155:84532"),
        ("20000", "10000", #"{"maxPerRequest":"0.015","allowNetworks":["eip155:84532","solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"]}"#, SolanaFlowTests.devnet),
        ("10000", "20000", #"{"maxPerRequest":"0.10","allowNetworks":["solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"]}"#, SolanaFlowTests.devnet),
    ])
    func aMixedOfferPaysTheCheapestAllowedOption(evm: String, solana: String, policy: String, network: String) async throws {
        let r = try solanaRig([WalletFixture.entry(amount: evm), SolanaFlowTests.entry(amount: solana)], policy: policy)
        let quote = await r.driver.quote(WalletFixture.request)
        let result = await r.driver.fetch(WalletFixture.request)
        guard case .paid = result.outcome.kind else { Issue.record("expected paid, got \(result.summary)"); return }
        let id = try #require(result.paymentID)
        let row = try #require(try r.ledger.payment(id: id))
        let amount: Int64 = network == SolanaFlowTests.devnet ? Int64(solana)! : Int64(evm)!
        #expect(row.network == network && row.amountAtomic == amount && row.status == .settled)
        #expect(quote.plan?.network == network && quote.plan?.micros == Micros(amount))
        #expect(r.signer.count == 1 && r.paid.withLock { $0.map { $0.payload["accepted"]?["network"]?.stringValue } } == [network])
        // The chain is asked about Solana only when Solana is paid (once for the quote, once for the fetch).
        #expect(r.chain.lock.withLock { r.chain.questions.count } == (network == SolanaFlowTests.devnet ? 2 : 0))
    }
}
