# pragma version ~=0.4.3
"""
@title Local plain ERC-20: no EIP-2612, no EIP-3009 (TEST ONLY)
@notice "Plain USD" (PLAIN), 6 decimals. Paying it over x402 needs Permit2 and an ERC-20
        allowance to Permit2 (or the erc20ApprovalGasSponsoring extension). `mint` is open to
        the deployer only. Revert strings follow OpenZeppelin's.
"""

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256

name: public(String[32])
symbol: public(String[32])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
minter: public(address)


@deploy
def __init__():
    self.name = "Plain USD"
    self.symbol = "PLAIN"
    self.decimals = 6
    self.minter = msg.sender


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
    allowed: uint256 = self.allowance[from_][msg.sender]
    if allowed != max_value(uint256):
        assert allowed >= amount, "ERC20: insufficient allowance"
        self.allowance[from_][msg.sender] = allowed - amount
    self._transfer(from_, to, amount)
    return True


@external
def mint(to: address, amount: uint256) -> bool:
    """@notice Test-only mint, deployer only."""
    assert msg.sender == self.minter, "ERC20: caller is not the minter"
    assert to != empty(address), "ERC20: mint to the zero address"
    self.totalSupply += amount
    self.balanceOf[to] += amount
    log Transfer(sender=empty(address), receiver=to, value=amount)
    return True
