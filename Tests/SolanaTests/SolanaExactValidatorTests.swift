// Purse — Solana tests.
// Every shape the issue says must be refused before signing, each with its own code.

import PurseCore
import Testing

@testable import Solana

@Suite struct SolanaExactValidatorTests {
    static let v = TransferVector.all[0]
    static let terms = v.terms
    static let payer = v.payer
    static let mint = v.mint
    static let validator = SolanaExactValidator(terms: terms, payer: payer.publicKey, mint: mint, maxComputeUnitPrice: 1_000)

    /// The canonical unsigned message of vector 0.
    static func message(_ budget: SolanaComputeBudget = .sdkDefault) -> SolanaMessageV0 {
        try! SolanaExactPayment.unsignedMessage(terms: terms, payer: payer.publicKey, mint: mint, recentBlockhash: v.blockhash, computeBudget: budget, memoNonce: v.nonce)
    }

    /// The message of `instructions` compiled as the SDK would (fee payer first).
    static func compiled(_ instructions: [SolanaInstruction], feePayer: SolanaPublicKey = terms.feePayer) -> SolanaMessageV0 {
        try! SolanaMessageV0.compile(payer: feePayer, instructions: instructions, recentBlockhash: v.blockhash)
    }

    static func instructions(amount: UInt64? = nil, destination: SolanaPublicKey? = nil, mint mintKey: SolanaPublicKey? = nil, decimals: UInt8? = nil, owner: SolanaPublicKey? = nil, memo: [UInt8]? = nil, program: SolanaTokenProgram? = nil) -> [SolanaInstruction] {
        let source = SolanaAssociatedTokenAccount.address(owner: payer.publicKey, mint: terms.mint, tokenProgram: mint.tokenProgram)
        return [
            .setComputeUnitLimit(20_000), .setComputeUnitPrice(microLamports: 1),
            .transferChecked(
                tokenProgram: program ?? mint.tokenProgram, source: source, mint: mintKey ?? terms.mint,
                destination: destination ?? terms.destination(mint.tokenProgram), owner: owner ?? payer.publicKey,
                amount: amount ?? terms.amount, decimals: decimals ?? mint.decimals),
            .memo(memo ?? Array(Hex.encode(v.nonce, prefix: false).utf8)),
        ]
    }

    func refusal(_ message: SolanaMessageV0, _ validator: SolanaExactValidator = Self.validator) -> String? {
        do {
            try validator.validate(message)
            return nil
        } catch {
            #expect(!error.message.isEmpty)
            return error.code
        }
    }

    @Test func theCanonicalMessageIsAccepted() {
        #expect(refusal(Self.message()) == nil)
        #expect(refusal(Self.compiled(Self.instructions())) == nil)
    }

    @Test func extraInstructionsAreRefused() {
        var ixs = Self.instructions()
        ixs.append(.memo(Array("second".utf8)))
        #expect(refusal(Self.compiled(ixs)) == "solana.unexpected_instruction")
        // A System transfer slipped in place of the memo.
        ixs = Self.instructions()
        ixs[3] = SolanaInstruction(programId: .systemProgram, accounts: [SolanaAccountMeta(Self.payer.publicKey, isSigner: true, isWritable: true)], data: [2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
        #expect(refusal(Self.compiled(ixs)) == "solana.unexpected_instruction")
        // Missing memo, reordered instructions.
        #expect(refusal(Self.compiled(Array(Self.instructions().prefix(3)))) == "solana.unexpected_instruction")
        let swapped = Self.instructions()
        #expect(refusal(Self.compiled([swapped[1], swapped[0], swapped[2], swapped[3]])) == "solana.unexpected_instruction")
        // An extra compute-budget instruction (RequestHeapFrame).
        ixs = Self.instructions()
        ixs.insert(SolanaInstruction(programId: .computeBudgetProgram, accounts: [], data: [1, 0, 0, 1, 0]), at: 0)
        #expect(refusal(Self.compiled(ixs)) == "solana.unexpected_instruction")
    }

    @Test func anotherAmountPayeeOrMintIsRefused() throws {
        #expect(refusal(Self.compiled(Self.instructions(amount: Self.terms.amount + 1))) == "solana.amount_mismatch")
        #expect(refusal(Self.compiled(Self.instructions(amount: Self.terms.amount - 1))) == "solana.amount_mismatch")
        let other = try SolanaKeypair(seed: [UInt8](repeating: 7, count: 32)).publicKey
        let otherAta = SolanaAssociatedTokenAccount.address(owner: other, mint: Self.terms.mint, tokenProgram: .token)
        #expect(refusal(Self.compiled(Self.instructions(destination: otherAta))) == "solana.payee_mismatch")
        // The payee's wallet itself instead of its token account.
        #expect(refusal(Self.compiled(Self.instructions(destination: Self.terms.payTo))) == "solana.payee_mismatch")
        #expect(refusal(Self.compiled(Self.instructions(mint: other))) == "solana.mint_mismatch")
        #expect(refusal(Self.compiled(Self.instructions(decimals: 9))) == "solana.mint_mismatch")
        #expect(refusal(Self.compiled(Self.instructions(program: .token2022))) == "solana.mint_mismatch")
        // Someone else's authority over the payer's token account.
        #expect(refusal(Self.compiled(Self.instructions(owner: other))) == "solana.payer_mismatch")
    }

    @Test func aFeePayerEqualToThePayerIsRefused() throws {
        let extra: JSONObject = ["feePayer": .string(Self.payer.publicKey.base58)]
        let terms = try SolanaExactTerms(asset: Self.terms.mint.base58, payTo: Self.terms.payTo.base58, amount: 10_000, extra: extra)
        #expect(throws: SolanaExactError(.feePayerIsPayer, "extra.feePayer is the payer's own address \(Self.payer.publicKey)")) {
            try SolanaExactPayment.build(terms: terms, payer: Self.payer, mint: Self.mint, recentBlockhash: Self.v.blockhash)
        }
        let validator = SolanaExactValidator(terms: terms, payer: Self.payer.publicKey, mint: Self.mint, maxComputeUnitPrice: 1_000)
        #expect(refusal(Self.compiled(Self.instructions(), feePayer: Self.payer.publicKey), validator) == "solana.fee_payer_is_payer")
    }

    @Test func anotherFeePayerOrATouchedFeePayerIsRefused() throws {
        let other = try SolanaKeypair(seed: [UInt8](repeating: 9, count: 32)).publicKey
        #expect(refusal(Self.compiled(Self.instructions(), feePayer: other)) == "solana.fee_payer_mismatch")
        // The fee payer as the transfer's authority (it would pay from its own funds).
        var ixs = Self.instructions(owner: Self.terms.feePayer)
        #expect(refusal(Self.compiled(ixs)) == "solana.fee_payer_mismatch")
        // The fee payer named by the memo.
        ixs = Self.instructions()
        ixs[3].accounts = [SolanaAccountMeta(Self.terms.feePayer, isSigner: true, isWritable: false)]
        #expect(refusal(Self.compiled(ixs)) == "solana.fee_payer_mismatch")
    }

    @Test func aComputePriceAboveTheCapIsRefused() throws {
        let above = SolanaComputeBudget(unitLimit: 20_000, unitPriceMicroLamports: 1_001)
        #expect(refusal(Self.message(above)) == "solana.compute_price_too_high")
        #expect(refusal(Self.message(SolanaComputeBudget(unitLimit: 20_000, unitPriceMicroLamports: 1_000))) == nil)
        #expect(refusal(Self.message(SolanaComputeBudget(unitLimit: 400_001, unitPriceMicroLamports: 1))) == "solana.compute_limit_too_high")
        #expect(throws: SolanaExactError.self) {
            try SolanaExactPayment.build(terms: Self.terms, payer: Self.payer, mint: Self.mint, recentBlockhash: Self.v.blockhash,
                                         computeBudget: SolanaComputeBudget(unitLimit: 20_000, unitPriceMicroLamports: .max), maxComputeUnitPrice: 5_000_000)
        }
        do {
            _ = try SolanaExactPayment.build(terms: Self.terms, payer: Self.payer, mint: Self.mint, recentBlockhash: Self.v.blockhash,
                                             computeBudget: SolanaComputeBudget(unitLimit: 20_000, unitPriceMicroLamports: 10), maxComputeUnitPrice: 9)
            Issue.record("a price over the cap was signed")
        } catch {
            #expect(error.kind == .computePriceTooHigh)
        }
    }

    @Test func memoMustBeTheSellersOrANonce() throws {
        #expect(refusal(Self.compiled(Self.instructions(memo: Array("00112233445566778899AABBCCDDEEFF".utf8)))) == "solana.memo_mismatch")
        #expect(refusal(Self.compiled(Self.instructions(memo: Array("short".utf8)))) == "solana.memo_mismatch")
        let seller = TransferVector.all[1]
        let validator = SolanaExactValidator(terms: seller.terms, payer: seller.payer.publicKey, mint: seller.mint, maxComputeUnitPrice: 1)
        #expect(refusal(Self.compiled(Self.instructions()), validator) == "solana.memo_mismatch")
    }

    @Test func lookupTablesAndOtherFlagsAreRefused() throws {
        var message = Self.message()
        message.addressTableLookups = [SolanaAddressTableLookup(accountKey: .systemProgram, writableIndexes: [0], readonlyIndexes: [])]
        #expect(refusal(message) == "solana.unexpected_accounts")
        // The mint made writable.
        var ixs = Self.instructions()
        ixs[2].accounts[1].isWritable = true
        #expect(refusal(Self.compiled(ixs)) == "solana.unexpected_accounts")
        // A read-only destination (the transfer would fail, but the message is not the payment's).
        message = Self.message()
        message.header.numReadonlyUnsignedAccounts += 1
        #expect(refusal(message) == "solana.unexpected_accounts")
        // An unused extra key.
        message = Self.message()
        message.accountKeys.append(.systemProgram)
        #expect(refusal(message) == "solana.unexpected_accounts")
    }

    @Test func signatureSlotsAreChecked() throws {
        let payment = try SolanaExactPayment.build(terms: Self.terms, payer: Self.payer, mint: Self.mint, recentBlockhash: Self.v.blockhash, maxComputeUnitPrice: 1)
        var tx = payment.transaction
        try Self.validator.validate(tx)
        tx.signatures[1] = SolanaSignature.empty
        try Self.validator.validate(tx)  // not yet signed is fine
        tx.signatures[1] = try SolanaSignature(bytes: [UInt8](repeating: 1, count: 64))
        #expect(throws: SolanaExactError.self) { try Self.validator.validate(tx) }
        tx = payment.transaction
        tx.signatures[0] = payment.payerSignature
        #expect(throws: SolanaExactError.self) { try Self.validator.validate(tx) }
        tx = payment.transaction
        tx.signatures.append(.empty)
        #expect(throws: SolanaExactError.self) { try Self.validator.validate(tx) }
    }

    @Test func everyKindHasADottedSolanaCode() {
        for kind in SolanaExactError.Kind.allCases { #expect(kind.rawValue.hasPrefix("solana.")) }
        #expect(Set(SolanaExactError.Kind.allCases.map(\.rawValue)).count == SolanaExactError.Kind.allCases.count)
    }
}
