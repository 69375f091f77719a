# pragma version ~=0.4.3
"""
@title Local "USDC" with EIP-3009 transferWithAuthorization (TEST ONLY)
@notice 6 decimals, EIP-712 domain {name "USDC", version "2", chainId, this}.
        Revert strings copy Circle's FiatTokenV2 so the x402 SDK maps them to its
        error codes. `mint` is open to the deployer only; never deploy this anywhere real.
        Vyper has no overloading, so only the (v,r,s) form of transferWithAuthorization
        exists; `from`/`value` are Python keywords here, so the parameters are `from_`
        and `amount` (the ABI ignores names).
"""

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256

event AuthorizationUsed:
    authorizer: indexed(address)
    nonce: indexed(bytes32)

EIP712_DOMAIN_TYPEHASH: constant(bytes32) = keccak256(
    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
)
TRANSFER_WITH_AUTHORIZATION_TYPEHASH: constant(bytes32) = keccak256(
    "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
)
# secp256k1n / 2: signatures with a larger s are malleable and refused, as OpenZeppelin's ECDSA does.
HALF_N: constant(uint256) = 57896044618658097711785492504343953926418782139537452191302581570759080992000

name: public(String[32])
symbol: public(String[32])
version: public(String[8])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
authorizationState: public(HashMap[address, HashMap[bytes32, bool]])
minter: public(address)


@deploy
def __init__():
    self.name = "USDC"
    self.symbol = "USDC"
    self.version = "2"
    self.decimals = 6
    self.minter = msg.sender


@view
@internal
def _domain_separator() -> bytes32:
    return keccak256(
        abi_encode(
            EIP712_DOMAIN_TYPEHASH,
            keccak256("USDC"),
            keccak256("2"),
            chain.id,
            self,
        )
    )


@view
@external
def DOMAIN_SEPARATOR() -> bytes32:
    return self._domain_separator()


@internal
def _transfer(sender: address, receiver: address, amount: uint256):
    assert receiver != empty(address), "ERC20: transfer to the zero address"
    assert self.balanceOf[sender] >= amount, "ERC20: transfer amount exceeds balance"
    self.balanceOf[sender] -= amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=sender, receiver=receiver, value=amount)


@external
def transfer(to: address, amount: uint256) -> bool:
    self._transfer(msg.sender, to, amount)
    return True


@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    log Approval(owner=msg.sender, spender=spender, value=amount)
    return True


@external
def transferFrom(from_: address, to: address, amount: uint256) -> bool:
    assert self.allowance[from_][msg.sender] >= amount, "ERC20: transfer amount exceeds allowance"
    self.allowance[from_][msg.sender] -= amount
    self._transfer(from_, to, amount)
    return True


@external
def transferWithAuthorization(
    from_: address,
    to: address,
    amount: uint256,
    validAfter: uint256,
    validBefore: uint256,
    nonce: bytes32,
    v: uint8,
    r: bytes32,
    s: bytes32,
):
    assert block.timestamp > validAfter, "FiatTokenV2: authorization is not yet valid"
    assert block.timestamp < validBefore, "FiatTokenV2: authorization is expired"
    assert not self.authorizationState[from_][nonce], "FiatTokenV2: authorization is used or canceled"
    assert convert(s, uint256) <= HALF_N, "FiatTokenV2: invalid signature"
    struct_hash: bytes32 = keccak256(
        abi_encode(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH, from_, to, amount, validAfter, validBefore, nonce
        )
    )
    digest: bytes32 = keccak256(concat(b"\x19\x01", self._domain_separator(), struct_hash))
    signer: address = ecrecover(digest, v, r, s)
    assert signer != empty(address) and signer == from_, "FiatTokenV2: invalid signature"
    self.authorizationState[from_][nonce] = True
    log AuthorizationUsed(authorizer=from_, nonce=nonce)
    self._transfer(from_, to, amount)


@external
def mint(to: address, amount: uint256) -> bool:
    """@notice Test-only mint, deployer only."""
    assert msg.sender == self.minter, "USDC: caller is not the minter"
    assert to != empty(address), "ERC20: mint to the zero address"
    self.totalSupply += amount
    self.balanceOf[to] += amount
    log Transfer(sender=empty(address), receiver=to, value=amount)
    return True
