// Purse ChainRPC module: the reads behind Permit2 payments.

import EVM
import PurseCore

extension ChainRPCClient {
    /// ERC-20 `allowance(owner, spender)` on `token`, in atomic units.
    ///
    /// - Throws: `.badResponse` unless the node returned one 32-byte word.
    public func allowance(token: Address, owner: Address, spender: Address) async throws(ChainRPCError) -> UInt256 {
        try await word(token, ABI.allowanceCall(owner: owner, spender: spender), "allowance")
    }

    /// EIP-2612 `nonces(owner)` on `token`: the nonce the next permit must carry.
    ///
    /// - Throws: `.badResponse` when the token does not answer it (no EIP-2612), or the RPC errors.
    public func permitNonce(token: Address, owner: Address) async throws(ChainRPCError) -> UInt256 {
        try await word(token, ABI.noncesCall(owner: owner), "nonces")
    }

    /// `DOMAIN_SEPARATOR()` of `contract` (an EIP-2612 token, or Permit2).
    public func domainSeparator(_ contract: Address) async throws(ChainRPCError) -> [UInt8] {
        try await word(contract, ABI.domainSeparatorCall(), "DOMAIN_SEPARATOR").bytes32
    }

    /// Whether Permit2's unordered `nonce` of `owner` is used (or invalidated): its bit in
    /// `nonceBitmap(owner, nonce >> 8)`.
    public func permit2NonceUsed(permit2: Address, owner: Address, nonce: UInt256) async throws(ChainRPCError) -> Bool {
        let bitmap = try await word(permit2, ABI.nonceBitmapCall(owner: owner, nonce: nonce), "nonceBitmap")
        return ABI.permit2NonceIsUsed(nonce, bitmap: bitmap)
    }

    /// One `eth_call` whose answer must be a single 32-byte word.
    private func word(_ contract: Address, _ data: [UInt8], _ what: String) async throws(ChainRPCError) -> UInt256 {
        let answer = try await call(to: contract.lowercased, data: data)
        do throws(ABIError) {
            return try ABI.decodeUInt256(answer)
        } catch {
            throw .badResponse("\(what) on \(contract.checksummed) returned \(answer.count) bytes, not one 32-byte word")
        }
    }
}
