import EVM
import Foundation
import HTTP
import Ledger
import PurseCore
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

    func handle(_ r: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        guard let header = r.headers["PAYMENT-SIGNATURE"] else { return WalletFixture.paymentRequired([WalletFixture.entry(amount: price)]) }
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

@Suite struct InterceptorTests {
    struct Rig {
        let seller: FakeSeller
        let ledger: Ledger
        let interceptor: Interceptor
        let dir: URL
    }

    func rig(_ policy: String = #"{"maxPerRequest":"0.10"}"#) throws -> Rig {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("purse-int-\(UUID().uuidString)")
        let ledger = try Ledger(path: dir.appendingPathComponent("l.db").path)
        let seller = FakeSeller()
        let http = InMemoryHTTPClient { r throws(HTTPError) in try await seller.handle(r) }
        let session = try ledger.startSession(kind: "test", label: nil, clientName: nil, now: Date())
        let key = try PrivateKey(hex: WalletFixture.payerKeyHex)
        var config = try WalletFixture.config(policy)
        config.payment.maxPaidAttempts = 3
        let i = Interceptor(http: http, ledger: ledger, signer: KeySigner(key: key), config: config, sessionID: session.id)
        return Rig(seller: seller, ledger: ledger, interceptor: i, dir: dir)
    }

    @Test func paysOnceAndSettlesTheRow() async throws {
        let r = try rig()
        let result = await r.interceptor.fetch(WalletFixture.request)
        guard case .paid = result.outcome.kind else { Issue.record("expected paid, got \(result.outcome.kind)"); return }
        #expect(result.outcome.response?.status == 200)
        #expect(r.seller.paidHeaders.count == 1)
        let id = try #require(result.paymentID)
        let row = try #require(try r.ledger.payment(id: id))
        #expect(row.status == .settled)
        #expect(row.txHash == result.outcome.receipt?.transaction)
        #expect(row.amountAtomic == 10_000 && row.payer == WalletFixture.payer)
        #expect(result.budget?.sessionSpentMicros == 10_000)
        #expect(result.json()["payment"]?["transaction"]?.stringValue == row.txHash)
    }

    @Test func serverErrorsResendTheSameSignatureAndEndUnknown() async throws {
        let r = try rig()
        r.seller.paidStatus = [500, 503, 502]
        let result = await r.interceptor.fetch(WalletFixture.request)
        guard case .unknown = result.outcome.kind else { Issue.record("expected unknown"); return }
        #expect(r.seller.paidHeaders.count == 3)
        #expect(Set(r.seller.paidHeaders).count == 1)
        let id = try #require(result.paymentID)
        #expect(try r.ledger.payment(id: id)?.status == .unknown)
        // The unknown row still counts.
        #expect(result.budget?.sessionSpentMicros == 10_000)
    }

    @Test func sessionBudgetRefusesBeforeSigning() async throws {
        let r = try rig(#"{"sessionBudget":"0.025"}"#)
        var outcomes = [String]()
        for _ in 0..<3 { outcomes.append(await r.interceptor.fetch(WalletFixture.request).outcomeName) }
        #expect(outcomes == ["paid", "paid", "refused"])
        #expect(r.seller.paidHeaders.count == 2)
        let third = await r.interceptor.fetch(WalletFixture.request)
        #expect(third.error?.code == "budget.session_exceeded")
        #expect(third.error?.message.contains("0.005") == true, "\(third.error?.message ?? "")")
    }

    @Test func concurrentCallsHoldTheBudget() async throws {
        let r = try rig(#"{"sessionBudget":"0.05"}"#)
        r.seller.delayMs = 20
        let results = await withTaskGroup(of: String.self) { g in
            for _ in 0..<8 { g.addTask { await r.interceptor.fetch(WalletFixture.request).outcomeName } }
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
        r.seller.delayMs = 300
        let task = Task { await r.interceptor.fetch(WalletFixture.request) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        await r.interceptor.drain()
        let rows = try r.ledger.payments()
        #expect(rows.count == 1)
        #expect(rows.first?.status == .settled)
    }

    @Test func approvalAboveThresholdWithoutAHumanIsRefused() async throws {
        let r = try rig(#"{"confirmAbove":"0.005"}"#)
        let result = await r.interceptor.fetch(WalletFixture.request)
        #expect(result.error?.code == "approval.unsupported")
        #expect(result.error?.message.contains("policy.confirmAbove") == true)
        #expect(r.seller.paidHeaders.isEmpty)
        #expect(try r.ledger.payments().first?.status == .failed)
    }

    @Test func quotePaysNothing() async throws {
        let r = try rig()
        let q = await r.interceptor.quote(WalletFixture.request)
        #expect(q.refusal == nil && q.selection?.chosen?.index == 0)
        #expect(q.json()["wouldPay"]?.boolValue == true)
        #expect(r.seller.paidHeaders.isEmpty)
        #expect(try r.ledger.payments().isEmpty)
    }
}
