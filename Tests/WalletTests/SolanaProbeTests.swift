import Foundation
import HTTP
import Ledger
import PurseCore
import PurseTesting
import Solana
import SolanaRPC
import Testing
@testable import Wallet
@testable import X402

/// A Solana node in memory: canned JSON-RPC answers for the methods reconcile asks, read by the
/// real `SolanaRPCClient`. Anything else, or a question about another account or blockhash, is
/// answered with a JSON-RPC error, so a probe asking differently fails the test.
struct CannedSolanaNode {
    /// `getTransaction` answers (the `result`), by transaction id; any other id is not found.
    var transactions: [String: JSONValue] = [:]
    /// `getSignaturesForAddress` of `listedAccount`, newest first.
    var listed: [JSONValue] = []
    var listedAccount: SolanaPublicKey
    /// `getSignatureStatuses` entries by id; any other id is unknown (null).
    var statuses: [String: JSONValue] = [:]
    /// `isBlockhashValid` of `blockhash`.
    var blockhash: SolanaHash
    var blockhashValid = true

    func client() -> InMemoryHTTPClient {
        InMemoryHTTPClient { r throws(HTTPError) in
            let req = (try? JSONValue.parse(r.body ?? [])) ?? .null
            let params = req["params"]?.arrayValue ?? []
            let first = params.first?.stringValue
            let context: JSONValue = ["slot": 40, "apiVersion": "2.2.0"]
            var result: JSONValue?
            switch req["method"]?.stringValue {
            case "getTransaction":
                result = first.flatMap { transactions[$0] } ?? .null
            case "getSignaturesForAddress":
                if first == listedAccount.base58 { result = .array(listed) }
            case "getSignatureStatuses":
                let ids = params.first?.arrayValue?.compactMap(\.stringValue) ?? []
                result = ["context": context, "value": .array(ids.map { statuses[$0] ?? .null })]
            case "isBlockhashValid":
                if first == blockhash.base58 { result = ["context": context, "value": .bool(blockhashValid)] }
            default: break
            }
            var body: JSONObject = ["jsonrpc": "2.0", "id": req["id"] ?? .null]
            if let result { body["result"] = result } else { body["error"] = ["code": -32602, "message": .string("not canned: \(req.encoded())")] }
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: JSONValue.object(body).encodedBytes(),
                                truncated: false, redirectLocation: nil, effectiveURL: r.url)
        }
    }
}

/// `SolanaProbe` alone: what it concludes about one `sent` row from what a node answers. The
/// payment is the flow's plan signed by the wallet's key; the node's answers are canned.
@Suite struct SolanaProbeTests {
    let payment: WalletFixture.SolanaPayment
    /// The payment as it landed: the fee payer's signature added in slot 0. Its id is that signature.
    let landed: SolanaTransaction

    init() throws {
        payment = try WalletFixture.solanaPayment()
        var tx = payment.transaction
        tx.signatures[0] = try SolanaSignature(bytes: Array(repeating: 0x42, count: 64))
        landed = tx
    }

    var id: String { landed.signatures[0].base58 }

    /// The row reconcile holds: `sent`, with the signed payload the driver stored.
    func row(txHash: String? = nil, signedPayload: String?? = .none) -> PaymentRecord {
        let plan = payment.plan
        let new = NewPayment(sessionID: "s", method: "GET", url: plan.resource.url, host: plan.host, network: plan.network, asset: plan.token,
                             assetSymbol: "USDC", decimals: 6, payTo: plan.payTo, amountAtomic: plan.requirement.amount.value, micros: plan.micros,
                             scheme: "exact", x402Version: 2, authorization: plan.reference, validBefore: plan.validBefore, payer: plan.payer)
        let now = Date()
        return PaymentRecord(id: 7, payment: new, createdAt: now, updatedAt: now, status: .sent, txHash: txHash,
                             signedPayload: signedPayload ?? payment.payload.documentText)
    }

    /// A transfer of the payer's token account to the payee's: `getTransaction`'s result for `tx`.
    func record(_ tx: SolanaTransaction, err: JSONValue = .null, payeeBefore: UInt64 = 500, payeeAfter: UInt64 = 10_500) -> JSONValue {
        let r = payment.reference
        let keys = tx.message.accountKeys
        func balance(_ account: SolanaPublicKey, _ amount: UInt64) -> JSONValue {
            ["accountIndex": .integer(Int64(keys.firstIndex(of: account)!)), "mint": .string(r.mint.base58), "programId": .string(r.tokenProgram.id.base58),
             "uiTokenAmount": ["amount": .string(String(amount)), "decimals": 6, "uiAmountString": "0"]]
        }
        let sourceBefore: UInt64 = 1_000_000
        let moved = payeeAfter &- payeeBefore
        return ["slot": 31, "blockTime": 1_800_000_010, "version": 0, "transaction": [.string(tx.base64), "base64"],
                "meta": ["err": err, "fee": 5000,
                         "preTokenBalances": [balance(r.source, sourceBefore), balance(r.destination, payeeBefore)],
                         "postTokenBalances": [balance(r.source, sourceBefore &- moved), balance(r.destination, payeeAfter)]]]
    }

    static func status(err: JSONValue = .null, _ level: String = "confirmed") -> JSONValue {
        ["slot": 31, "confirmations": 3, "err": err, "confirmationStatus": .string(level)]
    }

    /// How `getSignaturesForAddress` lists a transaction whose memo is `memo`.
    func listing(_ id: String, memo: String) -> JSONValue {
        ["signature": .string(id), "slot": 31, "err": .null, "memo": .string("[\(memo.utf8.count)] \(memo)"), "blockTime": 1_800_000_010,
         "confirmationStatus": "confirmed"]
    }

    var ourMemo: String { payment.reference.memo }

    func node() -> CannedSolanaNode {
        CannedSolanaNode(listedAccount: payment.reference.source, blockhash: payment.exact.recentBlockhash)
    }

    func probe(_ node: CannedSolanaNode, _ row: PaymentRecord) async throws -> (ProbeResult, [String]) {
        let http = node.client()
        let result = try await SolanaProbe(rpc: SolanaRPCClient(url: "http://solana.test", http: http)).probe(row)
        return (result, http.requests.map { (try? JSONValue.parse($0.body ?? []))?["method"]?.stringValue ?? "?" })
    }

    /// The same message signed by another key: slot 1 is not our signature.
    func signedByAnother() throws -> SolanaTransaction {
        var tx = landed
        tx.signatures[1] = try SolanaKeypair(seed: Array(repeating: 8, count: 32)).sign(tx.message.serialized())
        return tx
    }

    /// Our signature over another message (the blockhash changed): not our signature of *this* message.
    func signatureMovedToAnotherMessage() throws -> SolanaTransaction {
        var tx = landed
        tx.message.recentBlockhash = try SolanaHash(bytes: Array(repeating: 1, count: 32))
        return tx
    }

    // MARK: found

    @Test func foundByTheSellersReportedSignature() async throws {
        var n = node()
        n.transactions[id] = record(landed)
        n.statuses[id] = Self.status()
        let (result, asked) = try await probe(n, row(txHash: id))
        #expect(result == .used(transaction: id, charge: nil))
        #expect(asked == ["getTransaction", "getSignatureStatuses"])
    }

    @Test func foundByItsMemoAmongThePayersTokenAccountsTransactions() async throws {
        var n = node()
        let decoyID = try SolanaSignature(bytes: Array(repeating: 0x43, count: 64)).base58
        let otherID = try SolanaSignature(bytes: Array(repeating: 0x44, count: 64)).base58
        // Newest first: another payment (another memo, never fetched), a transaction showing our
        // memo but not signed by us for this message, then ours.
        n.listed = [listing(otherID, memo: "ffeeddccbbaa99887766554433221100"), listing(decoyID, memo: ourMemo), listing(id, memo: ourMemo)]
        var decoy = try signatureMovedToAnotherMessage()
        decoy.signatures[0] = try SolanaSignature(base58: decoyID)
        n.transactions[decoyID] = record(decoy)
        n.transactions[id] = record(landed)
        n.statuses[id] = Self.status("finalized")
        // No receipt came back: the row has no transaction id.
        let (result, asked) = try await probe(n, row())
        #expect(result == .used(transaction: id, charge: nil))
        #expect(asked == ["getSignaturesForAddress", "getTransaction", "getTransaction", "getSignatureStatuses"])
    }

    @Test func aWrongReportedSignatureFallsBackToTheMemo() async throws {
        var n = node()
        let wrong = try SolanaSignature(bytes: Array(repeating: 0x45, count: 64)).base58
        var other = try signedByAnother()
        other.signatures[0] = try SolanaSignature(base58: wrong)
        n.transactions[wrong] = record(other)
        n.transactions[id] = record(landed)
        n.listed = [listing(id, memo: ourMemo)]
        n.statuses[id] = Self.status()
        let (result, asked) = try await probe(n, row(txHash: wrong))
        #expect(result == .used(transaction: id, charge: nil))
        #expect(asked == ["getTransaction", "getSignaturesForAddress", "getTransaction", "getSignatureStatuses"])
    }

    // MARK: refused

    @Test(arguments: ["another signer", "another message"])
    func aTransactionWhoseSlot1IsNotOurSignatureOfThisMessageIsNotThePayment(what: String) async throws {
        let impostor = what == "another signer" ? try signedByAnother() : try signatureMovedToAnotherMessage()
        let impostorID = impostor.signatures[0].base58
        var n = node()
        n.transactions[impostorID] = record(impostor)
        n.listed = [listing(impostorID, memo: ourMemo)]
        n.statuses[impostorID] = Self.status()
        // Reported by the seller and listed with our memo, it is still not believed: the blockhash
        // is valid, so the payment is pending.
        let (result, asked) = try await probe(n, row(txHash: impostorID))
        #expect(result == .unused)
        #expect(asked == ["getTransaction", "getSignaturesForAddress", "getTransaction", "isBlockhashValid"])
        // Once the blockhash expired it never will be.
        n.blockhashValid = false
        guard case .expired = try await probe(n, row(txHash: impostorID)).0 else {
            Issue.record("an impostor kept the row alive after its blockhash expired")
            return
        }
    }

    @Test func aTransactionThatLandedAndFailedReleasesTheRow() async throws {
        var n = node()
        let err: JSONValue = ["InstructionError": [2, ["Custom": 1]]]
        n.transactions[id] = record(landed, err: err, payeeAfter: 500)
        n.statuses[id] = Self.status(err: err)
        let (result, _) = try await probe(n, row(txHash: id))
        guard case let .expired(reason) = result else {
            Issue.record("a failed transaction counted as \(result)")
            return
        }
        #expect(reason.contains(id) && reason.contains("failed") && reason.contains("Custom"), "\(reason)")
    }

    @Test func aStatusWithAnErrorOrNotYetConfirmedIsNotUsed() async throws {
        for status in [Self.status(err: ["InstructionError": [2, ["Custom": 1]]]), Self.status("processed"), JSONValue.null] {
            var n = node()
            n.transactions[id] = record(landed)
            n.statuses[id] = status
            let (result, asked) = try await probe(n, row(txHash: id))
            #expect(result == .unused, "\(status.encoded())")
            #expect(asked == ["getTransaction", "getSignatureStatuses"])
        }
    }

    @Test(arguments: [(UInt64(500), UInt64(10_499)), (500, 10_501), (500, 500), (10_500, 500)])
    func aPayeeBalanceThatDidNotMoveByTheAmountIsAnError(before: UInt64, after: UInt64) async throws {
        var n = node()
        n.transactions[id] = record(landed, payeeBefore: before, payeeAfter: after)
        n.statuses[id] = Self.status()
        await #expect {
            _ = try await probe(n, row(txHash: id))
        } throws: { error in
            guard case let .badResponse(message) = error as? SolanaRPCError else { return false }
            return message.contains("moved by \(Int64(bitPattern: after &- before)), not 10000")
        }
    }

    // MARK: not found

    @Test func notYetVisibleIsPendingWhileTheBlockhashIsValid() async throws {
        let n = node()
        let (result, asked) = try await probe(n, row(txHash: id))
        #expect(result == .unused)
        #expect(asked == ["getTransaction", "getSignaturesForAddress", "isBlockhashValid"])
    }

    @Test func notFoundWithAnExpiredBlockhashIsExpired() async throws {
        var n = node()
        n.blockhashValid = false
        let (result, asked) = try await probe(n, row())
        guard case let .expired(reason) = result else {
            Issue.record("expected expired, got \(result)")
            return
        }
        #expect(reason.contains("blockhash expired"))
        #expect(asked == ["getSignaturesForAddress", "isBlockhashValid"])
    }

    @Test func aRowThatNeverLeftAsksNothingAndABadPayloadIsAnError() async throws {
        let (result, asked) = try await probe(node(), row(signedPayload: .some(nil)))
        #expect(result == .unused && asked.isEmpty)
        // A stored payload for another message than the row's is not believed.
        let other = try WalletFixture.solanaPayment(amount: "20000")
        await #expect(throws: SolanaRPCError.self) { _ = try await probe(node(), row(signedPayload: other.payload.documentText)) }
        await #expect(throws: SolanaRPCError.self) { _ = try await probe(node(), row(signedPayload: "{}")) }
    }
}
