// Purse — Solana module (pure).
// The last look before signing: is this transaction exactly the payment the offer asked for?

/// Checks that a message (or a partially signed transaction) is exactly an x402 `exact` payment
/// of `terms` by `payer`, and nothing more.
///
/// The accepted shape is the one the SDK client builds (four instructions: compute-unit limit,
/// compute-unit price, `TransferChecked`, Memo; no lookup tables; the facilitator's fee payer
/// first and untouched by every instruction). Each refusal has its own code; a last comparison
/// with the canonical compilation of the expected instructions catches anything else (another
/// account, another flag, another order). Nothing here reads the chain: the mint facts are the
/// caller's, from `getAccountInfo`.
public struct SolanaExactValidator: Sendable {
    /// The offer's terms.
    public let terms: SolanaExactTerms
    /// The paying wallet.
    public let payer: SolanaPublicKey
    /// The mint's token program and decimals, from the chain.
    public let mint: SolanaMint
    /// The most micro-lamports per compute unit accepted.
    public let maxComputeUnitPrice: UInt64
    /// The payer's token account for the mint.
    public let source: SolanaPublicKey
    /// The payee's token account for the mint.
    public let destination: SolanaPublicKey

    /// Creates a validator; derives both token accounts once.
    public init(terms: SolanaExactTerms, payer: SolanaPublicKey, mint: SolanaMint, maxComputeUnitPrice: UInt64) {
        self.terms = terms
        self.payer = payer
        self.mint = mint
        self.maxComputeUnitPrice = maxComputeUnitPrice
        self.source = SolanaAssociatedTokenAccount.address(owner: payer, mint: terms.mint, tokenProgram: mint.tokenProgram)
        self.destination = terms.destination(mint.tokenProgram)
    }

    /// Checks a partially signed transaction: the message as `validate(_: SolanaMessageV0)`
    /// does, slot 0 (fee payer) empty, and slot 1 empty or the payer's valid signature.
    ///
    /// - Throws: `SolanaExactError`.
    public func validate(_ transaction: SolanaTransaction) throws(SolanaExactError) {
        try validate(transaction.message)
        guard transaction.signatures.count == 2 else {
            throw SolanaExactError(.badSignature, "\(transaction.signatures.count) signature slots, not 2")
        }
        guard transaction.signatures[0].isEmpty else {
            throw SolanaExactError(.badSignature, "the fee payer's slot is not empty; only the facilitator signs it")
        }
        let own = transaction.signatures[1]
        guard own.isEmpty || payer.isValidSignature(own, for: transaction.message.serialized()) else {
            throw SolanaExactError(.badSignature, "slot 1 is not the payer's signature of this message")
        }
    }

    /// Checks a message before it is signed.
    ///
    /// - Throws: `SolanaExactError`: `.feePayerIsPayer`, `.feePayerMismatch`,
    ///   `.unexpectedInstruction`, `.computeLimitTooHigh`, `.computePriceTooHigh`,
    ///   `.mintMismatch`, `.payeeMismatch`, `.payerMismatch`, `.amountMismatch`, `.memoMismatch`
    ///   or `.unexpectedAccounts`.
    public func validate(_ message: SolanaMessageV0) throws(SolanaExactError) {
        guard terms.feePayer != payer else {
            throw SolanaExactError(.feePayerIsPayer, "extra.feePayer is the payer's own address \(payer)")
        }
        guard message.addressTableLookups.isEmpty else {
            throw SolanaExactError(.unexpectedAccounts, "the message loads accounts from lookup tables, which hides them")
        }
        guard message.accountKeys.first == terms.feePayer else {
            throw SolanaExactError(.feePayerMismatch, "the fee payer is \(message.accountKeys.first.map(\.base58) ?? "missing"), not extra.feePayer \(terms.feePayer)")
        }
        let instructions = message.instructions
        guard instructions.count == 4 else {
            throw SolanaExactError(.unexpectedInstruction, "\(instructions.count) instructions; a payment has exactly 4 (limit, price, transfer, memo)")
        }
        for (i, instruction) in instructions.enumerated() where instruction.accounts.contains(0) || instruction.programIdIndex == 0 {
            throw SolanaExactError(.feePayerMismatch, "instruction \(i) uses the fee payer's account")
        }
        let budget = try checkComputeBudget(instructions[0], instructions[1], in: message)
        try checkTransfer(instructions[2], in: message)
        let memo = try checkMemo(instructions[3], in: message)
        let expected: SolanaMessageV0
        do {
            expected = try SolanaMessageV0.compile(
                payer: terms.feePayer,
                instructions: SolanaExactPayment.expectedInstructions(
                    terms: terms, payer: payer, mint: mint, computeBudget: budget, memo: memo),
                recentBlockhash: message.recentBlockhash)
        } catch {
            throw SolanaExactError(.transaction, error.message)
        }
        guard expected == message else {
            throw SolanaExactError(.unexpectedAccounts, "the accounts, signers or writable flags are not those of the payment")
        }
    }

    /// Instruction 0 must set the unit limit, instruction 1 the unit price, within the caps.
    private func checkComputeBudget(_ limit: SolanaCompiledInstruction, _ price: SolanaCompiledInstruction, in message: SolanaMessageV0) throws(SolanaExactError) -> SolanaComputeBudget {
        for (i, instruction) in [limit, price].enumerated() {
            guard message.key(at: instruction.programIdIndex) == .computeBudgetProgram, instruction.accounts.isEmpty else {
                throw SolanaExactError(.unexpectedInstruction, "instruction \(i) is not a Compute Budget instruction")
            }
        }
        guard limit.data.count == 5, limit.data[0] == 2 else {
            throw SolanaExactError(.unexpectedInstruction, "instruction 0 is not SetComputeUnitLimit")
        }
        guard price.data.count == 9, price.data[0] == 3 else {
            throw SolanaExactError(.unexpectedInstruction, "instruction 1 is not SetComputeUnitPrice")
        }
        let units = UInt32(Self.littleEndian(limit.data[1...]))
        guard units <= SolanaComputeBudget.maxUnitLimit else {
            throw SolanaExactError(.computeLimitTooHigh, "a compute-unit limit of \(units) is over \(SolanaComputeBudget.maxUnitLimit)")
        }
        let microLamports = Self.littleEndian(price.data[1...])
        guard microLamports <= maxComputeUnitPrice else {
            throw SolanaExactError(.computePriceTooHigh, "a compute-unit price of \(microLamports) micro-lamports is over the cap of \(maxComputeUnitPrice)")
        }
        return SolanaComputeBudget(unitLimit: units, unitPriceMicroLamports: microLamports)
    }

    /// Instruction 2 must be the transfer of exactly the amount, from the payer's ATA to the payee's.
    private func checkTransfer(_ instruction: SolanaCompiledInstruction, in message: SolanaMessageV0) throws(SolanaExactError) {
        guard let transfer = SolanaTransferChecked(instruction, in: message), instruction.accounts.count == 4 else {
            throw SolanaExactError(.unexpectedInstruction, "instruction 2 is not a token TransferChecked with 4 accounts")
        }
        guard transfer.tokenProgram == mint.tokenProgram else {
            throw SolanaExactError(.mintMismatch, "the transfer runs under \(transfer.tokenProgram.rawValue), but the mint belongs to \(mint.tokenProgram.rawValue)")
        }
        guard transfer.mint == terms.mint else {
            throw SolanaExactError(.mintMismatch, "the transfer is of mint \(transfer.mint), not the offer's asset \(terms.mint)")
        }
        guard transfer.decimals == mint.decimals else {
            throw SolanaExactError(.mintMismatch, "the transfer states \(transfer.decimals) decimals; the mint has \(mint.decimals)")
        }
        guard transfer.destination == destination else {
            throw SolanaExactError(.payeeMismatch, "the transfer pays \(transfer.destination), not \(destination), the token account of payTo \(terms.payTo)")
        }
        guard transfer.authority == payer, transfer.source == source else {
            throw SolanaExactError(.payerMismatch, "the transfer is not from the payer's token account \(source) on the payer's authority")
        }
        guard transfer.amount == terms.amount else {
            throw SolanaExactError(.amountMismatch, "the transfer moves \(transfer.amount) atomic units; the offer asks for exactly \(terms.amount)")
        }
    }

    /// Instruction 3 must be a Memo with no accounts: the seller's memo, else a 32-hex-digit nonce.
    private func checkMemo(_ instruction: SolanaCompiledInstruction, in message: SolanaMessageV0) throws(SolanaExactError) -> [UInt8] {
        guard message.key(at: instruction.programIdIndex) == .memoProgram, instruction.accounts.isEmpty else {
            throw SolanaExactError(.unexpectedInstruction, "instruction 3 is not a Memo without accounts")
        }
        if let memo = terms.memo {
            guard instruction.data == Array(memo.utf8) else {
                throw SolanaExactError(.memoMismatch, "the memo is not extra.memo")
            }
        } else {
            let isNonce = instruction.data.count == 32 && instruction.data.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
            guard isNonce else { throw SolanaExactError(.memoMismatch, "without extra.memo the memo must be 32 lower-case hex digits (a 16-byte nonce)") }
        }
        return instruction.data
    }

    /// A little-endian unsigned integer of up to 8 bytes.
    private static func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }
}
