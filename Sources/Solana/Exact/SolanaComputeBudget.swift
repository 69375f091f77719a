// Purse — Solana module (pure).

/// The compute-unit limit and price a payment transaction declares.
///
/// The fee payer (the facilitator) pays 5000 lamports per signature plus limit × price / 10⁶
/// lamports of priority fee, and refuses transactions that would cost it more than its policy:
/// the SDK's facilitator refuses a price above 5 lamports (5 000 000 micro-lamports) per unit.
/// Purse uses the SDK client's own values by default, and caps the price it will ever put in a
/// transaction with a parameter, so a bug or a hostile input cannot make it sign a costly one.
///
/// The limit is the SDK's 20 000 units whenever that is enough, which is the case for its own
/// memo (a 32-hex-digit nonce). It is not enough for a longer seller memo: the Memo program
/// checks and logs the text at about 360 units per printable ASCII byte and up to about 5 000
/// per byte of some 3- and 4-byte characters (measured on LiteSVM, see `forMemo`), so the SDK's
/// transaction for a 40-byte memo, or for `"facture n°42 — ✓"`, fails on chain with
/// "exceeded CUs meter". `forMemo` gives such memos a limit that covers them.
public struct SolanaComputeBudget: Sendable, Hashable {
    /// The most compute units the transaction may use.
    public var unitLimit: UInt32
    /// The priority fee, in micro-lamports per compute unit.
    public var unitPriceMicroLamports: UInt64

    /// Creates a budget.
    public init(unitLimit: UInt32, unitPriceMicroLamports: UInt64) {
        self.unitLimit = unitLimit
        self.unitPriceMicroLamports = unitPriceMicroLamports
    }

    /// What the x402 SDK client (2.25) puts in every transaction: 20 000 units at 1 micro-lamport.
    public static let sdkDefault = SolanaComputeBudget(unitLimit: 20_000, unitPriceMicroLamports: 1)

    /// The highest price the SDK facilitator accepts (`MAX_COMPUTE_UNIT_PRICE_MICROLAMPORTS`),
    /// a sensible default for the cap.
    public static let facilitatorMaxUnitPrice: UInt64 = 5_000_000

    /// The highest limit accepted: the spec's reference default for facilitators (400 000).
    public static let maxUnitLimit: UInt32 = 400_000

    /// A budget whose limit covers the payment with `memo`: the SDK's 20 000 units for at most
    /// 32 bytes of printable ASCII (measured on LiteSVM: 19 279 units at most for SPL Token with
    /// the most expensive such bytes, 14 700 for Token-2022), else an upper estimate.
    ///
    /// The estimate is 10 000 units for the compute-budget instructions, the transfer and the
    /// Memo program's fixed cost (7 855 measured), plus per memo byte: 400 for printable ASCII
    /// (357 at most measured), 1 100 for other ASCII (999), 1 000 for bytes of 2-byte characters
    /// (887), 5 500 for bytes of 3- and 4-byte characters (4 951), rounded up to a thousand.
    /// The measurements scanned every ASCII byte and 1 800 random code points.
    /// - Throws: `SolanaExactError` `.computeLimitTooHigh` when the estimate is over
    ///   `maxUnitLimit` (such a memo, 70 or more costly characters, would not be accepted).
    public static func forMemo(_ memo: [UInt8], unitPriceMicroLamports: UInt64 = sdkDefault.unitPriceMicroLamports) throws(SolanaExactError) -> SolanaComputeBudget {
        let printable = memo.allSatisfy { (0x20...0x7e).contains($0) }
        if printable, memo.count <= 32 {
            return SolanaComputeBudget(unitLimit: sdkDefault.unitLimit, unitPriceMicroLamports: unitPriceMicroLamports)
        }
        var units = 10_000
        var i = 0
        while i < memo.count {
            let lead = memo[i]
            let (length, perByte) = switch lead {
            case 0x20...0x7e: (1, 400)
            case ..<0x80: (1, 1_100)
            case 0xc0..<0xe0: (2, 1_000)
            default: (lead >= 0xf0 ? 4 : 3, 5_500)
            }
            let count = min(length, memo.count - i)
            units += count * perByte
            i += count
        }
        let rounded = (units + 999) / 1_000 * 1_000
        guard rounded <= Int(maxUnitLimit) else {
            throw SolanaExactError(.computeLimitTooHigh, "the memo needs up to \(rounded) compute units, over the \(maxUnitLimit) facilitators accept; ask the seller for a shorter memo")
        }
        return SolanaComputeBudget(unitLimit: UInt32(max(rounded, Int(sdkDefault.unitLimit))), unitPriceMicroLamports: unitPriceMicroLamports)
    }
}
