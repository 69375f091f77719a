# pragma version ~=0.4.3
"""
@title Local stand-in for the x402 upto Permit2 proxy (TEST ONLY)
@notice Written for the offline x402 world from the x402 `upto` EVM spec and the ABI the x402
        SDK calls. Placed at 0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002.
        The payer signs a maximum (permit.permitted.amount); settle() moves `amount` (<= that
        maximum) to witness.to. The witness binds destination and facilitator:
        Witness(address to,address facilitator,uint256 validAfter), and only that facilitator
        (msg.sender) may settle. settleWithPermit() first tries the token's EIP-2612 permit.
        Reverts carry the reference contract's error names as strings: UnauthorizedFacilitator,
        AmountExceedsPermitted, InvalidAmount, InvalidOwner, InvalidDestination,
        PaymentTooEarly, Permit2612AmountMismatch.
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

struct Witness:
    to: address
    facilitator: address
    validAfter: uint256

struct EIP2612Permit:
    value: uint256
    deadline: uint256
    r: bytes32
    s: bytes32
    v: uint8

interface IPermit2:
    def permitWitnessTransferFrom(permit: PermitTransferFrom, transferDetails: SignatureTransferDetails, owner: address, witness: bytes32, witnessTypeString: String[512], signature: Bytes[1024]): nonpayable

event Settled:
    pass

event SettledWithPermit:
    pass

event EIP2612PermitFailedWithData:
    token: indexed(address)
    owner: indexed(address)
    data: Bytes[256]

PERMIT2: public(constant(address)) = 0x000000000022D473030F116dDEE9F6B43aC78BA3
WITNESS_TYPEHASH: constant(bytes32) = keccak256("Witness(address to,address facilitator,uint256 validAfter)")
WITNESS_TYPE_STRING: public(constant(String[160])) = "Witness witness)TokenPermissions(address token,uint256 amount)Witness(address to,address facilitator,uint256 validAfter)"


@internal
def _settle(permit: PermitTransferFrom, amount: uint256, owner: address, witness: Witness, signature: Bytes[1024]):
    assert msg.sender == witness.facilitator, "UnauthorizedFacilitator"
    assert amount <= permit.permitted.amount, "AmountExceedsPermitted"
    assert amount != 0, "InvalidAmount"
    assert owner != empty(address), "InvalidOwner"
    assert witness.to != empty(address), "InvalidDestination"
    assert block.timestamp >= witness.validAfter, "PaymentTooEarly"
    witness_hash: bytes32 = keccak256(
        abi_encode(WITNESS_TYPEHASH, witness.to, witness.facilitator, witness.validAfter)
    )
    extcall IPermit2(PERMIT2).permitWitnessTransferFrom(
        permit,
        SignatureTransferDetails(to=witness.to, requestedAmount=amount),
        owner,
        witness_hash,
        WITNESS_TYPE_STRING,
        signature,
    )


@external
@nonreentrant
def settle(permit: PermitTransferFrom, amount: uint256, owner: address, witness: Witness, signature: Bytes[1024]):
    self._settle(permit, amount, owner, witness, signature)
    log Settled()


@external
@nonreentrant
def settleWithPermit(permit2612: EIP2612Permit, permit: PermitTransferFrom, amount: uint256, owner: address, witness: Witness, signature: Bytes[1024]):
    assert permit2612.value == permit.permitted.amount, "Permit2612AmountMismatch"
    ok: bool = False
    data: Bytes[256] = b""
    ok, data = raw_call(
        permit.permitted.token,
        abi_encode(owner, PERMIT2, permit2612.value, permit2612.deadline, permit2612.v, permit2612.r, permit2612.s,
                   method_id=method_id("permit(address,address,uint256,uint256,uint8,bytes32,bytes32)")),
        max_outsize=256,
        revert_on_failure=False,
    )
    if not ok:
        log EIP2612PermitFailedWithData(token=permit.permitted.token, owner=owner, data=data)
    self._settle(permit, amount, owner, witness, signature)
    log SettledWithPermit()
