import PurseCore

/// Why the wallet's key could not be loaded. Messages never contain key material.
public struct KeyLoadError: CodedError, Equatable {
    /// The stable code.
    public let code: String
    /// The explanation.
    public let message: String

    init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The wallet has no Solana key, and something needs one.
    public static let solanaNotConfigured = KeyLoadError(
        "key.solana_not_configured",
        "no Solana key: set PURSE_SOLANA_KEY (the 64-byte secret key in base58) or name a keypair file in the config (\"key\": {\"solana\": {\"file\": PATH}}); `purse keygen --solana --out PATH` makes one")
}
