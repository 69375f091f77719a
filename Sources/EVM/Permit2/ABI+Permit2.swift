// Purse — EVM module.
// The eth_calls behind Permit2 payments: the token's allowance to Permit2, its EIP-2612 nonce and
// domain separator, and Permit2's nonce bitmap.

extension ABI {
    /// Call data for ERC-20 `allowance(address owner,address spender)` (selector `0xdd62ed3e`).
    public static func allowanceCall(owner: Address, spender: Address) -> [UInt8] {
        selector("allowance(address,address)") + encode(owner) + encode(spender)
    }

    /// Call data for EIP-2612 `nonces(address owner)` (selector `0x7ecebe00`).
    public static func noncesCall(owner: Address) -> [UInt8] {
        selector("nonces(address)") + encode(owner)
    }

    /// Call data for `DOMAIN_SEPARATOR()` (selector `0x3644e515`), on an EIP-2612 token or Permit2.
    public static func domainSeparatorCall() -> [UInt8] {
        selector("DOMAIN_SEPARATOR()")
    }

    /// Call data for Permit2 `nonceBitmap(address owner,uint256 wordPos)` (selector `0x4fe02b44`)
    /// for the word that holds `nonce`'s bit: `wordPos = nonce >> 8`.
    public static func nonceBitmapCall(owner: Address, nonce: UInt256) -> [UInt8] {
        selector("nonceBitmap(address,uint256)") + encode(owner) + permit2WordPosition(nonce).bytes32
    }

    /// `nonce >> 8`: the bitmap word of a Permit2 unordered nonce.
    public static func permit2WordPosition(_ nonce: UInt256) -> UInt256 {
        UInt256(bytes32: Array(nonce.bytes32.dropLast()))
    }

    /// Whether the bitmap word returned by `nonceBitmap` marks `nonce` used (bit `nonce & 0xff`).
    public static func permit2NonceIsUsed(_ nonce: UInt256, bitmap: UInt256) -> Bool {
        let bit = Int(nonce.bytes32[31])
        let word = bitmap.bytes32
        return word[31 - bit / 8] & (1 << UInt8(bit % 8)) != 0
    }
}
