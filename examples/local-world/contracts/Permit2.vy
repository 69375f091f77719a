# pragma version ~=0.4.3
"""
@title Local stand-in for Uniswap's Permit2 SignatureTransfer (TEST ONLY)
@notice Written for the offline x402 world from Permit2's public interface: the functions the
        x402 SDK's facilitator and the x402 proxies use. Placed at the canonical address
        0x000000000022D473030F116dDEE9F6B43aC78BA3 by the world (no constructor, no immutables).
        - permitWitnessTransferFrom(((token,amount),nonce,deadline),(to,requestedAmount),owner,
          witness,witnessTypeString,signature): EIP-712 domain {name "Permit2", chainId, this}
          (no version); the spender in the signed message is msg.sender.
        - nonceBitmap(owner, wordPos): unordered nonces, bit (nonce & 255) of word (nonce >> 8).
        - invalidateUnorderedNonces(wordPos, mask), DOMAIN_SEPARATOR().
        Reverts carry the names of Permit2's custom errors as strings (SignatureExpired,
        InvalidAmount, InvalidNonce, InvalidSignature, InvalidSigner, InvalidSignatureLength,
        InvalidContractSignature), so "execution reverted: <Name>" maps in the SDK the same way.
        Not implemented: AllowanceTransfer (approve/permit/transferFrom with expirations),
        batch transfers, permitTransferFrom without witness.
"""

struct TokenPermissions:
    token: address
    amount: uint256

struct PermitTransferFrom:
    permitted: TokenPermissions
    nonce: uint256
    deadline: uint256

struct SignatureTransferDetails:
    to: address
    requestedAmount: uint256

event UnorderedNonceInvalidation:
    owner: indexed(address)
    word: uint256
    mask: uint256

DOMAIN_TYPEHASH: constant(bytes32) = keccak256("EIP712Domain(string name,uint256 chainId,address verifyingContract)")
NAME_HASH: constant(bytes32) = keccak256("Permit2")
TOKEN_PERMISSIONS_TYPEHASH: constant(bytes32) = keccak256("TokenPermissions(address token,uint256 amount)")
STUB: constant(String[100]) = "PermitWitnessTransferFrom(TokenPermissions permitted,address spender,uint256 nonce,uint256 deadline,"
MAX_TYPE_STRING: constant(uint256) = 512
MAX_SIGNATURE: constant(uint256) = 1024
EIP1271_MAGIC: constant(bytes4) = 0x1626ba7e

nonceBitmap: public(HashMap[address, HashMap[uint256, uint256]])


@view
@internal
def _domain_separator() -> bytes32:
    return keccak256(abi_encode(DOMAIN_TYPEHASH, NAME_HASH, chain.id, self))


@view
@external
def DOMAIN_SEPARATOR() -> bytes32:
    return self._domain_separator()


@internal
def _use_unordered_nonce(owner: address, nonce: uint256):
    word_pos: uint256 = nonce >> 8
    bit: uint256 = 1 << (nonce & 255)
    word: uint256 = self.nonceBitmap[owner][word_pos]
    assert word & bit == 0, "InvalidNonce"
    self.nonceBitmap[owner][word_pos] = word | bit


@view
@internal
def _verify(signature: Bytes[MAX_SIGNATURE], digest: bytes32, claimed: address):
    if claimed.is_contract:
        ok: bool = False
        out: Bytes[32] = b""
        ok, out = raw_call(
            claimed,
            abi_encode(digest, signature, method_id=method_id("isValidSignature(bytes32,bytes)")),
            max_outsize=32,
            is_static_call=True,
            revert_on_failure=False,
        )
        assert ok and len(out) >= 4 and convert(slice(out, 0, 4), bytes4) == EIP1271_MAGIC, "InvalidContractSignature"
        return
    r: bytes32 = empty(bytes32)
    s: bytes32 = empty(bytes32)
    v: uint256 = 0
    if len(signature) == 65:
        r = extract32(signature, 0)
        s = extract32(signature, 32)
        v = convert(slice(signature, 64, 1), uint256)
    elif len(signature) == 64:
        # EIP-2098 compact signature: the top bit of vs is the parity.
        r = extract32(signature, 0)
        vs: uint256 = convert(extract32(signature, 32), uint256)
        s = convert(vs & (max_value(uint256) >> 1), bytes32)
        v = (vs >> 255) + 27
    else:
        raise "InvalidSignatureLength"
    signer: address = ecrecover(digest, v, r, s)
    assert signer != empty(address), "InvalidSignature"
    assert signer == claimed, "InvalidSigner"


@external
def permitWitnessTransferFrom(
    permit: PermitTransferFrom,
    transferDetails: SignatureTransferDetails,
    owner: address,
    witness: bytes32,
    witnessTypeString: String[MAX_TYPE_STRING],
    signature: Bytes[MAX_SIGNATURE],
):
    assert block.timestamp <= permit.deadline, "SignatureExpired"
    assert transferDetails.requestedAmount <= permit.permitted.amount, "InvalidAmount"
    self._use_unordered_nonce(owner, permit.nonce)

    type_hash: bytes32 = keccak256(concat(STUB, witnessTypeString))
    permissions_hash: bytes32 = keccak256(
        abi_encode(TOKEN_PERMISSIONS_TYPEHASH, permit.permitted.token, permit.permitted.amount)
    )
    struct_hash: bytes32 = keccak256(
        abi_encode(type_hash, permissions_hash, msg.sender, permit.nonce, permit.deadline, witness)
    )
    digest: bytes32 = keccak256(concat(b"\x19\x01", self._domain_separator(), struct_hash))
    self._verify(signature, digest, owner)

    # ERC-20 transferFrom that tolerates tokens returning nothing (as solmate's SafeTransferLib).
    ok: bool = False
    ret: Bytes[32] = b""
    ok, ret = raw_call(
        permit.permitted.token,
        abi_encode(owner, transferDetails.to, transferDetails.requestedAmount,
                   method_id=method_id("transferFrom(address,address,uint256)")),
        max_outsize=32,
        revert_on_failure=False,
    )
    assert ok and (len(ret) == 0 or convert(ret, uint256) == 1), "TRANSFER_FROM_FAILED"


@external
def invalidateUnorderedNonces(wordPos: uint256, mask: uint256):
    self.nonceBitmap[msg.sender][wordPos] |= mask
    log UnorderedNonceInvalidation(owner=msg.sender, word=wordPos, mask=mask)
