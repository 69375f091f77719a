// Purse — SolanaRPC tests.
// SolanaRPCClient against the LiteSVM shim's own answers (replayed, network-free).

import HTTP
import PurseCore
import PurseTesting
import Solana
import Testing

@testable import SolanaRPC

@Suite struct SolanaRPCShimTests {
    static let rpcURL = "http://127.0.0.1:8899"

    func client() -> (SolanaRPCClient, InMemoryHTTPClient) {
        let http = ShimFixture.node()
        return (SolanaRPCClient(url: Self.rpcURL, http: http), http)
    }

    func key(_ text: String) -> SolanaPublicKey { try! SolanaPublicKey(base58: text) }

    @Test func mintsReadTheirProgramAndDecimals() async throws {
        let (rpc, http) = client()
        let usdc = try await rpc.getMint(key(ShimFixture.world.text("usdcMint")))
        #expect(usdc == SolanaMint(tokenProgram: .token, decimals: 6))
        let t22 = try await rpc.getMint(key(ShimFixture.world.text("token2022Mint")))
        #expect(t22 == SolanaMint(tokenProgram: .token2022, decimals: 6))
        let sent = try JSONValue.parse(http.requests[0].body!)
        #expect(sent["method"] == "getAccountInfo")
        #expect(sent["params"]?.arrayValue?[1]["encoding"] == "base64")
        #expect(http.requests[0].headers["content-type"] == "application/json")
        #expect(http.requests[0].method == "POST")
    }

    @Test func aMissingAccountIsNilAndAMissingMintIsTyped() async throws {
        let (rpc, _) = client()
        let nobody = key(ShimFixture.payment.text("nobody"))
        #expect(try await rpc.getAccountInfo(nobody) == nil)
        do {
            _ = try await rpc.getMint(nobody)
            Issue.record("a missing mint was read")
        } catch {
            #expect(error == .accountNotFound(nobody))
            #expect(error.code == "solana.account_not_found")
        }
        // A wallet (System-owned, no data) is not a mint.
        do {
            _ = try await rpc.getMint(key(ShimFixture.payment.text("payer")))
            Issue.record("a wallet was read as a mint")
        } catch {
            #expect(error.code == "solana.not_a_mint")
        }
    }

    @Test func accountInfoKeepsEveryField() async throws {
        let (rpc, _) = client()
        let wallet = try #require(try await rpc.getAccountInfo(key(ShimFixture.payment.text("payer"))))
        #expect(wallet.lamports == 1_000_000_000)
        #expect(wallet.owner == .systemProgram)
        #expect(wallet.data.isEmpty)
        #expect(!wallet.executable)
    }

    @Test func latestBlockhashAndHeight() async throws {
        let (rpc, _) = client()
        let latest = try await rpc.getLatestBlockhash()
        #expect(latest.blockhash.base58 == ShimFixture.world.text("recentBlockhash"))
        #expect(latest.lastValidBlockHeight == latest.slot + 150)
        #expect(try await rpc.getBlockHeight() >= 1)
    }

    @Test func signatureStatusesKeepOrderUnknownsAndErrors() async throws {
        let (rpc, _) = client()
        let ok = try SolanaSignature(base58: ShimFixture.payment.text("signature"))
        let unknown = try SolanaSignature(base58: ShimFixture.payment.text("unknownSignature"))
        let failed = try SolanaSignature(base58: ShimFixture.failed.text("signature"))
        let statuses = try await rpc.getSignatureStatuses([ok, unknown, failed])
        #expect(statuses.count == 3)
        #expect(statuses[0]?.succeeded == true)
        #expect(statuses[0]?.confirmationStatus == .finalized)
        #expect(statuses[0]?.confirmations == nil)
        #expect(statuses[1] == nil)
        #expect(statuses[2]?.succeeded == false)
        #expect(statuses[2]?.err == ["InstructionError": [2, ["Custom": 1]]])
    }

    @Test func aSettledPaymentIsFoundByItsTransferAndPayerSignature() async throws {
        let (rpc, _) = client()
        let txid = try SolanaSignature(base58: ShimFixture.payment.text("signature"))
        let record = try #require(try await rpc.getTransaction(txid))
        #expect(record.transaction.signatures[0] == txid, "the id is the fee payer's signature")
        #expect(record.transaction.signatures[1].base58 == ShimFixture.payment.text("payerSignature"))
        #expect(record.meta?.err == nil)
        #expect(record.meta?.fee == 10_000)
        #expect(record.blockTime != nil)
        let transfers = record.transaction.message.transfersChecked
        #expect(transfers.count == 1)
        let t = try #require(transfers.first)
        #expect(t.amount == 10_000)
        #expect(t.destination.base58 == ShimFixture.payment.text("sellerUsdcAta"))
        #expect(t.source.base58 == ShimFixture.payment.text("payerUsdcAta"))
        #expect(t.authority.base58 == ShimFixture.payment.text("payer"))
        let mint = key(ShimFixture.world.text("usdcMint"))
        let seller = try #require(record.tokenBalances(of: t.destination, mint: mint))
        #expect(seller.after - seller.before == 10_000)
        let payer = try #require(record.tokenBalances(of: t.source, mint: mint))
        #expect(payer.before - payer.after == 10_000)
        // The transaction the shim returns is the one the SDK client built, co-signed.
        let partial = try SolanaTransaction(base64: ShimFixture.payment.text("partiallySignedTransactionBase64"))
        #expect(partial.message == record.transaction.message)
    }

    @Test func aFailedTransferLandsWithItsErrorAndNoTokenMovement() async throws {
        let (rpc, _) = client()
        let record = try #require(try await rpc.getTransaction(try SolanaSignature(base58: ShimFixture.failed.text("signature"))))
        #expect(record.meta?.err == ["InstructionError": [2, ["Custom": 1]]])
        let t = try #require(record.transaction.message.transfersChecked.first)
        let balances = try #require(record.tokenBalances(of: t.destination, mint: t.mint))
        #expect(balances.before == balances.after)
        #expect(try await rpc.getTransaction(try SolanaSignature(base58: ShimFixture.payment.text("unknownSignature"))) == nil)
    }

    @Test func signaturesForAnAddressAreNewestFirst() async throws {
        let (rpc, http) = client()
        let list = try await rpc.getSignaturesForAddress(key(ShimFixture.payment.text("payerUsdcAta")), limit: 10)
        #expect(list.map(\.signature.base58) == [ShimFixture.failed.text("signature"), ShimFixture.payment.text("signature")])
        #expect(list[0].err != nil && list[1].err == nil)
        #expect(list[1].memo == "[32] 00112233445566778899aabbccddeeff")
        #expect(list[1].confirmationStatus == .finalized)
        let sent = try JSONValue.parse(http.requests[0].body!)
        #expect(sent["params"]?.arrayValue?[1]["limit"] == 10)
    }

    @Test func balances() async throws {
        let (rpc, _) = client()
        #expect(try await rpc.getBalance(key(ShimFixture.payment.text("payer"))) == 1_000_000_000)
        #expect(try await rpc.getBalance(key(ShimFixture.payment.text("nobody"))) == 0)
        let seller = try await rpc.getTokenAccountBalance(key(ShimFixture.payment.text("sellerUsdcAta")))
        #expect(seller == SolanaTokenAmount(amount: 10_000, decimals: 6))
        do {
            _ = try await rpc.getTokenAccountBalance(key(ShimFixture.payment.text("nobody")))
            Issue.record("a missing token account had a balance")
        } catch {
            #expect(error == .rpcError(code: -32602, message: "Invalid param: could not find account", data: nil))
            #expect(error.code == "solana.rpc_error")
        }
    }

    @Test func aWalletsTokenBalanceReadsItsATA() async throws {
        let (rpc, _) = client()
        let payer = key(ShimFixture.payment.text("payer"))
        let usdc = key(ShimFixture.world.text("usdcMint"))
        let t22 = key(ShimFixture.world.text("token2022Mint"))
        // 100 USDC minus the 0.01 paid (the failed transfer moved nothing).
        #expect(try await rpc.tokenBalance(owner: payer, mint: usdc, tokenProgram: .token) == 99_990_000)
        #expect(try await rpc.tokenBalance(owner: payer, mint: t22, tokenProgram: .token2022) == 100_000_000)
    }
}
