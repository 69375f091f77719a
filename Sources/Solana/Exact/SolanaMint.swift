// Purse — Solana module (pure).

/// What a payment needs to know about a mint: its token program and its decimals.
///
/// Both come from the chain (`getAccountInfo` on the mint), never from the offer: the token
/// program decides the ATAs and the instruction's program, and `TransferChecked` must state the
/// mint's true decimals.
public struct SolanaMint: Sendable, Hashable {
    /// The program that owns the mint.
    public let tokenProgram: SolanaTokenProgram
    /// The mint's decimals (6 for USDC).
    public let decimals: UInt8

    /// Creates mint facts already known (tests, a cache).
    public init(tokenProgram: SolanaTokenProgram, decimals: UInt8) {
        self.tokenProgram = tokenProgram
        self.decimals = decimals
    }

    /// The length of the base mint layout shared by both programs.
    static let baseLength = 82
    /// Where Token-2022 puts the account type byte of an account with extensions.
    static let accountTypeOffset = 165

    /// Reads a mint account: its owner (the token program) and its data.
    ///
    /// The layout is SPL Token's `Mint`: `mint_authority` (36 bytes), `supply` (8), `decimals`
    /// at byte 44, `is_initialized` at byte 45, `freeze_authority` (36), 82 bytes in all. A
    /// Token-2022 mint with extensions is longer: zero padding to byte 165, the account type
    /// (1 = mint), then the extensions. Anything else is refused, stricter than the x402 SDK
    /// (which reads byte 44 of whatever it gets).
    /// - Throws: `SolanaExactError` `.notAMint` naming what was wrong.
    public init(owner: SolanaPublicKey, data: [UInt8]) throws(SolanaExactError) {
        guard let program = SolanaTokenProgram(id: owner) else {
            throw SolanaExactError(.notAMint, "the mint account is owned by \(owner), not by SPL Token or Token-2022")
        }
        let shapeOK: Bool
        switch program {
        case .token: shapeOK = data.count == Self.baseLength
        case .token2022:
            shapeOK = data.count == Self.baseLength
                || (data.count > Self.accountTypeOffset && data[Self.accountTypeOffset] == 1
                    && data[Self.baseLength..<Self.accountTypeOffset].allSatisfy { $0 == 0 })
        }
        guard shapeOK else { throw SolanaExactError(.notAMint, "the account's \(data.count) bytes are not a \(program.rawValue) mint") }
        guard data[45] == 1 else { throw SolanaExactError(.notAMint, "the mint is not initialized") }
        self.init(tokenProgram: program, decimals: data[44])
    }
}
