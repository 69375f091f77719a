# pragma version ~=0.4.3
"""
@title Local ERC-20 with EIP-2612 permit and WITHOUT EIP-3009 (TEST ONLY)
@notice "Permit USD" (PUSD), 6 decimals, EIP-712 domain {name "Permit USD", version "1", chainId,
        this}. For the x402 Permit2 `exact` and `upto` routes and the eip2612GasSponsoring
        extension. `mint` is open to the deployer only. Revert strings follow OpenZeppelin's.
"""

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256

EIP712_DOMAIN_TYPEHASH: constant(bytes32) = keccak256(
    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
)
PERMIT_TYPEHASH: constant(bytes32) = keccak256(
    "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
)
HALF_N: constant(uint256) = 57896044618658097711785492504343953926418782139537452191302581570759080992000
NAME: constant(String[32]) = "Permit USD"
VERSION: constant(String[8]) = "1"

name: public(String[32])
symbol: public(String[32])
version: public(String[8])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
nonces: public(HashMap[address, uint256])
minter: public(address)


@deploy
def __init__():
    self.name = NAME
    self.symbol = "PUSD"
    self.version = VERSION
    self.decimals = 6
    self.minter = msg.sender


@view
@internal
def _domain_separator() -> bytes32:
    return keccak256(abi_encode(EIP712_DOMAIN_TYPEHASH, keccak256(NAME), keccak256(VERSION), chain.id, self))


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


@internal
def _approve(owner: address, spender: address, amount: uint256):
    self.allowance[owner][spender] = amount
    log Approval(owner=owner, spender=spender, value=amount)


@external
def transfer(to: address, amount: uint256) -> bool:
    self._transfer(msg.sender, to, amount)
    return True


@external
def approve(spender: address, amount: uint256) -> bool:
    self._approve(msg.sender, spender, amount)
    return True


@external
def transferFrom(from_: address, to: address, amount: uint256) -> bool:
    allowed: uint256 = self.allowance[from_][msg.sender]
    if allowed != max_value(uint256):
        assert allowed >= amount, "ERC20: insufficient allowance"
        self.allowance[from_][msg.sender] = allowed - amount
    self._transfer(from_, to, amount)
    return True


@external
def permit(owner: address, spender: address, amount: uint256, deadline: uint256, v: uint8, r: bytes32, s: bytes32):
    assert block.timestamp <= deadline, "ERC20Permit: expired deadline"
    assert convert(s, uint256) <= HALF_N, "ERC20Permit: invalid signature"
    nonce: uint256 = self.nonces[owner]
    struct_hash: bytes32 = keccak256(abi_encode(PERMIT_TYPEHASH, owner, spender, amount, nonce, deadline))
    digest: bytes32 = keccak256(concat(b"\x19\x01", self._domain_separator(), struct_hash))
    signer: address = ecrecover(digest, v, r, s)
    assert signer != empty(address) and signer == owner, "ERC20Permit: invalid signature"
    self.nonces[owner] = nonce + 1
    self._approve(owner, spender, amount)


@external
def mint(to: address, amount: uint256) -> bool:
    """@notice Test-only mint, deployer only."""
    assert msg.sender == self.minter, "ERC20: caller is not the minter"
    assert to != empty(address), "ERC20: mint to the zero address"
    self.totalSupply += amount
    self.balanceOf[to] += amount
    log Transfer(sender=empty(address), receiver=to, value=amount)
    return True
