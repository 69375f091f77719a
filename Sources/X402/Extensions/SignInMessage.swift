import PurseCore

/// The EIP-4361 ("Sign-In with Ethereum") message for a `sign-in-with-x` challenge, signed with
/// EIP-191 `personal_sign`.
///
/// The text is laid out exactly as the `siwe` reference implementation prepares it (the server
/// rebuilds it from the echoed fields and checks the signature over those bytes):
///
///     {domain} wants you to sign in with your Ethereum account:
///     {address}
///
///     {statement}            (or nothing, leaving two blank lines)
///
///     URI: {uri}
///     Version: {version}
///     Chain ID: {chain id number}
///     Nonce: {nonce}
///     Issued At: {issuedAt}
///     [Expiration Time / Not Before / Request ID / Resources: - …]
public struct SignInMessage: Sendable, Equatable {
    /// The challenge, already judged signable (`SignInChallenge.refusal` returned nil).
    public let challenge: SignInChallenge
    /// The signing wallet.
    public let address: Address
    /// The CAIP-2 chain signed for (`eip155:<id>`).
    public let chain: String
    /// The numeric chain id.
    public let chainId: UInt64

    /// Creates the message for `address` on `chain` (an `eip155:<id>` CAIP-2 id).
    public init?(challenge: SignInChallenge, address: Address, chain: String) {
        guard chain.hasPrefix("eip155:"), let id = UInt64(chain.dropFirst(7)) else { return nil }
        self.challenge = challenge
        self.address = address
        self.chain = chain
        self.chainId = id
    }

    /// The EIP-4361 text.
    public var text: String {
        let c = challenge
        var prefix = "\(c.domain) wants you to sign in with your Ethereum account:\n\(address.checksummed)"
        if let statement = c.statement { prefix += "\n\n" + statement } else { prefix += "\n" }
        var suffix = ["URI: \(c.uri)", "Version: \(c.version)", "Chain ID: \(chainId)", "Nonce: \(c.nonce)", "Issued At: \(c.issuedAt)"]
        if let t = c.expirationTime, !t.isEmpty { suffix.append("Expiration Time: \(t)") }
        if let t = c.notBefore, !t.isEmpty { suffix.append("Not Before: \(t)") }
        if let r = c.requestId { suffix.append("Request ID: \(r)") }
        if let resources = c.resources { suffix.append((["Resources:"] + resources.map { "- \($0)" }).joined(separator: "\n")) }
        return prefix + "\n\n" + suffix.joined(separator: "\n")
    }
}
