#!/usr/bin/env python3
"""An independent oracle for Purse's Solana code: solders 0.27.1 (the Rust Solana SDK) and the
x402 SDK 2.25.0's own SVM facilitator, over an in-process LiteSVM. TEST ONLY; no network.

    python svm_oracle.py COMMAND < request.json > reply.json

Commands:
  version  -> {"solders": …, "x402": …}
  curve    {"points": [hex32…], "seeds": [[hex…]…], "program": b58}
           -> {"onCurve": [bool…], "pda": [[b58, bump]…]}   (Pubkey.is_on_curve, find_program_address)
  world    {"tokenProgram": "token"|"token2022"}
           -> the accounts a payment needs (payer secret, fee payer, payee, mint, decimals, blockhash)
  settle   {"tokenProgram": …, "transaction": b64, "amount": "…", "memo": str|null}
           -> the SDK facilitator's verify and settle of Purse's transaction on a fresh LiteSVM
              holding the same accounts as `world`, with the token balances before and after.

LiteSVM's first blockhash is the same in every process, so a transaction built on `world`'s
blockhash lands in `settle`'s VM.
"""

from __future__ import annotations

import hashlib
import json
import sys

from solders.account import Account
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.pubkey import Pubkey
from solders.token.associated import get_associated_token_address
from solders.token.state import Mint, TokenAccount, TokenAccountState
from solders.transaction import VersionedTransaction

DEVNET = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
USDC_DEVNET = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
PROGRAMS = {"token": "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
            "token2022": "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"}
DECIMALS = 6
PAYER_TOKENS = 100 * 10**DECIMALS


def kp(name: str) -> Keypair:
    return Keypair.from_seed(hashlib.sha256(b"purse-svm-oracle/" + name.encode()).digest())


class World:
    """A LiteSVM with one mint (devnet USDC under Token, or a Token-2022 mint), a funded payer, a
    payee without a balance, and a facilitator fee payer with SOL."""

    def __init__(self, program_name: str):
        self.program = Pubkey.from_string(PROGRAMS[program_name])
        self.svm = LiteSVM()
        self.payer, self.fee_payer, self.pay_to = kp("payer"), kp("fee-payer"), kp("pay-to")
        self.mint = Pubkey.from_string(USDC_DEVNET) if program_name == "token" else kp("token-2022-mint").pubkey()
        rent = self.svm.minimum_balance_for_rent_exemption
        mint_data = bytes(Mint(mint_authority=kp("mint-authority").pubkey(), supply=PAYER_TOKENS, decimals=DECIMALS,
                               is_initialized=True, freeze_authority=None))
        self.svm.set_account(self.mint, Account(rent(82), mint_data, self.program, False, 0))
        for owner, amount in ((self.payer.pubkey(), PAYER_TOKENS), (self.pay_to.pubkey(), 0)):
            data = bytes(TokenAccount(mint=self.mint, owner=owner, amount=amount, delegate=None,
                                      state=TokenAccountState.Initialized, is_native=None, delegated_amount=0))
            self.svm.set_account(self.ata(owner), Account(rent(165), data, self.program, False, 0))
        self.svm.airdrop(self.fee_payer.pubkey(), 10**10)

    def ata(self, owner: Pubkey) -> Pubkey:
        return get_associated_token_address(owner, self.mint, self.program)

    def balance(self, owner: Pubkey) -> int:
        acc = self.svm.get_account(self.ata(owner))
        return TokenAccount.from_bytes(bytes(acc.data)[:165]).amount if acc else 0

    def describe(self) -> dict:
        return {"network": DEVNET, "payer": str(self.payer.pubkey()), "payerSecretKeyBase58": str(self.payer),
                "feePayer": str(self.fee_payer.pubkey()), "payTo": str(self.pay_to.pubkey()),
                "mint": str(self.mint), "tokenProgram": str(self.program), "decimals": DECIMALS,
                "recentBlockhash": str(self.svm.latest_blockhash()), "payerTokens": str(PAYER_TOKENS)}


def settle(req: dict) -> dict:
    from x402.mechanisms.svm.exact.facilitator import ExactSvmScheme
    from x402.mechanisms.svm.signers import FacilitatorKeypairSigner
    from x402.schemas import PaymentPayload, PaymentRequirements

    world = World(req["tokenProgram"])

    class LiteSVMSigner(FacilitatorKeypairSigner):
        """The SDK's own fee-payer signer, with LiteSVM in place of the RPC node."""

        def simulate_transaction(self, tx_base64: str, network: str) -> None:
            import base64
            res = world.svm.simulate_transaction(VersionedTransaction.from_bytes(base64.b64decode(tx_base64)))
            if "err" in json.loads(res.to_json()):
                raise ValueError(f"simulation failed: {res.to_json()}")

        def send_transaction(self, tx_base64: str, network: str) -> str:
            import base64
            tx = VersionedTransaction.from_bytes(base64.b64decode(tx_base64))
            res = world.svm.send_transaction(tx)
            if "err" in json.loads(res.to_json()):
                raise ValueError(f"send failed: {res.to_json()}")
            return str(tx.signatures[0])

        def confirm_transaction(self, signature: str, network: str, *args, **kwargs) -> None:
            return None

    extra = {"feePayer": str(world.fee_payer.pubkey())}
    if req.get("memo") is not None:
        extra["memo"] = req["memo"]
    requirements = PaymentRequirements(scheme="exact", network=DEVNET, asset=str(world.mint), amount=req["amount"],
                                       pay_to=str(world.pay_to.pubkey()), max_timeout_seconds=60, extra=extra)
    payload = PaymentPayload(x402_version=2, accepted=requirements, payload={"transaction": req["transaction"]})
    facilitator = ExactSvmScheme(LiteSVMSigner([world.fee_payer]))
    before = {"payer": world.balance(world.payer.pubkey()), "payTo": world.balance(world.pay_to.pubkey())}
    verify = facilitator.verify(payload, requirements)
    settled = facilitator.settle(payload, requirements) if verify.is_valid else None
    replay = facilitator.settle(payload, requirements) if settled is not None and settled.success else None
    after = {"payer": world.balance(world.payer.pubkey()), "payTo": world.balance(world.pay_to.pubkey())}
    return {
        "verify": {"isValid": verify.is_valid, "invalidReason": verify.invalid_reason, "payer": verify.payer},
        "settle": None if settled is None else {"success": settled.success, "errorReason": settled.error_reason,
                                                 "transaction": settled.transaction, "payer": settled.payer},
        "replay": None if replay is None else {"success": replay.success, "errorReason": replay.error_reason},
        "before": before, "after": after,
    }


def curve(req: dict) -> dict:
    program = Pubkey.from_string(req["program"])
    on_curve = [Pubkey(bytes.fromhex(h)).is_on_curve() for h in req["points"]]
    pda = []
    for seeds in req["seeds"]:
        address, bump = Pubkey.find_program_address([bytes.fromhex(s) for s in seeds], program)
        pda.append([str(address), bump])
    return {"onCurve": on_curve, "pda": pda}


def main() -> int:
    command = sys.argv[1]
    req = json.load(sys.stdin)
    if command == "version":
        import solders
        import x402
        out = {"solders": solders.__version__, "x402": getattr(x402, "__version__", "?")}
    elif command == "curve":
        out = curve(req)
    elif command == "world":
        out = World(req["tokenProgram"]).describe()
    elif command == "settle":
        out = settle(req)
    else:
        raise SystemExit(f"unknown command {command}")
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
