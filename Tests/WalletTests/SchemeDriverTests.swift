import EVM
import Foundation
import HTTP
import Ledger
import PurseCore
import PurseTesting
import Testing
@testable import Wallet
@testable import X402

/// A chain reader with a canned allowance and canned Solana facts that counts its questions.
final class CannedChain: ChainReader, @unchecked Sendable {
    let lock = NSLock()
    var allowance: UInt256
    var solana: Result<ChainAnswer, FlowRefusal>
    var questions: [ChainQuestion] = []
    init(allowance: UInt256 = .max, solana: Result<ChainAnswer, FlowRefusal> = SolanaFlowTests.facts) {
        self.allowance = allowance
        self.solana = solana
    }
    func answer(_ question: ChainQuestion) async -> Result<ChainAnswer, FlowRefusal> {
        lock.withLock {
            questions.append(question)
            switch question {
            case .permit2Allowance: return .success(.permit2Allowance(Permit2Allowance(allowance: allowance)))
            case .solanaPayment: return solana
            }
        }
    }
}

/// The driver with `upto` and Permit2 sellers in memory: what the ledger, the budgets and the
/// results say, and that a quote asks the chain but reserves and signs nothing.
@Suite struct SchemeDriverTests {
    struct Rig {
        let ledger: SQLiteLedger
        let driver: PaymentDriver
        let chain: CannedChain
        let paid: Locked<[JSONValue]>
        /// The ledger's directory, removed when the test drops the rig.
        let dir: ScratchDirectory
    }

    /// A seller of one option; a paid request gets a receipt claiming `settled`.
    func rig(entry: JSONValue, settled: String?, allowance: UInt256 = .max) throws -> Rig {
        let dir = try ScratchDirectory("purse-scheme")
        let ledger = try SQLiteLedger(path: dir.file("l.db"))
        let session = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let paid = Locked<[JSONValue]>([])
        let http = InMemoryHTTPClient { r throws(HTTPError) in
            guard let header = r.headers["PAYMENT-SIGNATURE"] else { return WalletFixture.paymentRequired([entry]) }
            let doc = (try? JSONValue.parse(try Base64.decode(header))) ?? .null
            paid.withLock { $0.append(doc) }
            var receipt: JSONObject = ["success": true, "transaction": .string("0x" + String(repeating: "ab", count: 32)), "network": "eip155:84532"]
            if let settled { receipt["amount"] = .string(settled) }
            return WalletFixture.response(200, headers: [("PAYMENT-RESPONSE", Base64.encode(JSONValue.object(receipt).encodedBytes()))], body: "{}")
        }
        let chain = CannedChain(allowance: allowance)
        let driver = PaymentDriver(http: http, ledger: ledger, signer: KeySigner(key: try PrivateKey(hex: WalletFixture.payerKeyHex)),
                                   config: try WalletFixture.config(), sessionID: session.id, chain: chain)
        return Rig(ledger: ledger, driver: driver, chain: chain, paid: paid, dir: dir)
    }

    @Test func uptoReservesTheMaximumAndKeepsOnlyTheCharge() async throws {
        let r = try rig(entry: SchemeFlowTests.uptoEntry(max: "50000"), settled: "12300")
        let result = await r.driver.fetch(WalletFixture.request)
        guard case .paid = result.outcome.kind else { Issue.record("expected paid, got \(result.outcome.kind)"); return }
        let id = try #require(result.paymentID)
        let row = try #require(try r.ledger.payment(id: id))
        #expect(row.status == .settled && row.scheme == "upto")
        #expect(row.amountAtomic == 12_300 && row.micros == Micros(12_300) && row.maxAmountAtomic == 50_000 && row.amountSource == .receipt)
        #expect(row.authorization.kind == "permit2")
        #expect(result.budget?.sessionSpent == Micros(12_300))
        let payment = try #require(result.json()["payment"])
        #expect(payment["amount"]?.stringValue == "0.0123" && payment["maxAmount"]?.stringValue == "0.05")
        #expect(payment["scheme"]?.stringValue == "upto" && payment["transferMethod"]?.stringValue == "permit2")
        let sent = try #require(r.paid.withLock { $0 }.first)
        #expect(sent["payload"]?["permit2Authorization"]?["permitted"]?["amount"]?.stringValue == "50000")
        #expect(sent["payload"]?["permit2Authorization"]?["witness"]?["facilitator"]?.stringValue == SchemeFlowTests.facilitator.checksummed)
    }

    @Test func aQuoteAsksTheChainButReservesAndSignsNothing() async throws {
        let r = try rig(entry: SchemeFlowTests.permit2Entry(), settled: nil, allowance: .zero)
        let quote = await r.driver.quote(WalletFixture.request)
        #expect(quote.refusal?.code == "permit2.allowance_required")
        #expect(r.chain.lock.withLock { r.chain.questions.count } == 1)
        let json = quote.json()
        let option = try #require(json["options"]?.arrayValue?.first)
        #expect(option["transferMethod"]?.stringValue == "permit2" && option["verdict"]?.stringValue == "refused")
        #expect(option["reasonCodes"] == ["permit2.allowance_required"])
        #expect(option["budgetAmount"]?.stringValue == "0.01")
        #expect(try r.ledger.payments(PaymentFilter()).isEmpty)
        #expect(r.paid.withLock { $0 }.isEmpty)
        // paid_fetch refuses the same way, signing nothing.
        let fetched = await r.driver.fetch(WalletFixture.request)
        #expect(fetched.error?.code == "permit2.allowance_required" && fetched.outcome.signatures == 0)
        #expect(try r.ledger.payments(PaymentFilter()).isEmpty)
    }

    @Test func quoteListsEveryOptionWithItsVerdictSchemeAndMethod() async throws {
        let entries = [SchemeFlowTests.uptoEntry(max: "50000"), WalletFixture.entry(amount: "20000"), SchemeFlowTests.permit2Entry(amount: "30000")]
        let dir = try ScratchDirectory("purse-scheme")
        let ledger = try SQLiteLedger(path: dir.file("l.db"))
        let session = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let http = InMemoryHTTPClient { _ throws(HTTPError) in WalletFixture.paymentRequired(entries) }
        let driver = PaymentDriver(http: http, ledger: ledger, signer: KeySigner(key: try PrivateKey(hex: WalletFixture.payerKeyHex)),
                                   config: try WalletFixture.config(), sessionID: session.id, chain: CannedChain(allowance: .max))
        let json = await driver.quote(WalletFixture.request).json()
        let options = try #require(json["options"]?.arrayValue)
        #expect(options.map { $0["scheme"]?.stringValue } == ["upto", "exact", "exact"])
        #expect(options.map { $0["transferMethod"]?.stringValue } == ["permit2", "eip3009", "permit2"])
        #expect(options.map { $0["verdict"]?.stringValue } == ["allowed", "chosen", "allowed"])
        #expect(json["chosen"] == .integer(1) && json["wouldPay"] == true)
    }
}
