#!/usr/bin/env python3
"""Capture Fixtures/svm_shim.json: real answers of the offline world's Solana JSON-RPC shim
(examples/local-world/svm_world.py, LiteSVM from solders 0.27.1) to the calls SolanaRPCClient
makes. TEST ONLY. The Swift tests replay them through an in-memory HTTP client, so they stay
network-free while parsing exactly what the shim (whose shapes solders' parsers check) sends.

    PURSE_VENV=$PWD/.venv scripts/bootstrap-python
    .venv/bin/python Tests/SolanaRPCTests/Support/capture_shim_fixtures.py

It starts a SolanaService on 127.0.0.1 (a random port), settles one x402 payment built by the
x402 SDK client (2.25.0, memo nonce fixed) and co-signed by the world's fee payer, lands one
transfer that fails in its instruction (more than the balance), then POSTs each request below
and records the request and the raw response body. Block times and slots are whatever the run
gave; nothing in the tests depends on their values beyond their types.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import tempfile
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(REPO / "examples" / "local-world"))

OUT = HERE.parent / "Fixtures" / "svm_shim.json"


def main() -> int:
    from solders.keypair import Keypair
    from solders.signature import Signature
    from solders.transaction import VersionedTransaction
    from x402.mechanisms.svm import KeypairSigner
    from x402.mechanisms.svm.exact import client as svm_client_mod
    from x402.mechanisms.svm.exact.client import ExactSvmScheme
    from x402.schemas import PaymentRequirements

    import svm_world

    with tempfile.TemporaryDirectory() as tmp:
        service = svm_world.SolanaService(Path(tmp))
        try:
            world = service.world
            url = service.url
            next_id = [0]

            def post(method: str, params: list) -> tuple[dict, bytes]:
                next_id[0] += 1
                request = {"jsonrpc": "2.0", "id": next_id[0], "method": method, "params": params}
                req = urllib.request.Request(url, data=json.dumps(request).encode(), headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(req, timeout=30) as r:
                    return request, r.read()

            def cosign(partial_b64: str) -> tuple[VersionedTransaction, bytes]:
                tx = VersionedTransaction.from_bytes(base64.b64decode(partial_b64))
                fee_sig = world.fee_payer.sign_message(bytes([0x80]) + bytes(tx.message))
                return tx, bytes(VersionedTransaction.populate(tx.message, [fee_sig, tx.signatures[1]]))

            payer = world.payers[0]
            amount = 10_000

            # One payment exactly as the SDK client builds it (through the shim's RPC), co-signed
            # by the fee payer and landed.
            nonce = bytes.fromhex("00112233445566778899aabbccddeeff")
            original = svm_client_mod.os.urandom
            svm_client_mod.os.urandom = lambda n: nonce[:n]
            try:
                scheme = ExactSvmScheme(KeypairSigner(payer), rpc_url=url)
                req = PaymentRequirements(scheme="exact", network=svm_world.DEVNET, asset=svm_world.USDC_DEVNET,
                                          amount=str(amount), pay_to=str(world.seller.pubkey()), max_timeout_seconds=60,
                                          extra={"feePayer": str(world.fee_payer.pubkey())})
                partial_b64 = scheme.create_payment_payload(req)["transaction"]
            finally:
                svm_client_mod.os.urandom = original
            tx, signed = cosign(partial_b64)
            signature = world.send(signed)

            # A transfer that lands but fails in its instruction: more than the payer holds.
            big = PaymentRequirements(scheme="exact", network=svm_world.DEVNET, asset=svm_world.USDC_DEVNET,
                                      amount=str(10**15), pay_to=str(world.seller.pubkey()), max_timeout_seconds=60,
                                      extra={"feePayer": str(world.fee_payer.pubkey()), "memo": "too-much"})
            _, big_signed = cosign(scheme.create_payment_payload(big)["transaction"])
            failed_signature = world.send(big_signed)

            usdc = svm_world.USDC_DEVNET
            t22 = str(world.t22_mint)
            payer_ata = str(world.ata(payer.pubkey(), world.usdc_mint, svm_world.TOKEN_PROGRAM))
            seller_ata = str(world.ata(world.seller.pubkey(), world.usdc_mint, svm_world.TOKEN_PROGRAM))
            payer_t22_ata = str(world.ata(payer.pubkey(), world.t22_mint, svm_world.TOKEN_2022_PROGRAM))
            nobody = str(Keypair.from_seed(hashlib.sha256(b"purse-capture/nobody").digest()).pubkey())
            unknown_sig = str(Signature(hashlib.sha512(b"purse-capture/unknown").digest()))
            confirmed = {"commitment": "confirmed"}
            account = {"commitment": "confirmed", "encoding": "base64"}
            transaction = {"commitment": "confirmed", "encoding": "base64", "maxSupportedTransactionVersion": 0}
            calls = {
                "getAccountInfo/usdcMint": ("getAccountInfo", [usdc, account]),
                "getAccountInfo/token2022Mint": ("getAccountInfo", [t22, account]),
                "getAccountInfo/missing": ("getAccountInfo", [nobody, account]),
                "getAccountInfo/payerUsdcAta": ("getAccountInfo", [payer_ata, account]),
                "getAccountInfo/payerToken2022Ata": ("getAccountInfo", [payer_t22_ata, account]),
                "getAccountInfo/payerWallet": ("getAccountInfo", [str(payer.pubkey()), account]),
                "getLatestBlockhash": ("getLatestBlockhash", [{"commitment": "finalized"}]),
                "getBlockHeight": ("getBlockHeight", [confirmed]),
                "getSignatureStatuses": ("getSignatureStatuses", [[signature, unknown_sig, failed_signature], {"searchTransactionHistory": True}]),
                "getTransaction/payment": ("getTransaction", [signature, transaction]),
                "getTransaction/failed": ("getTransaction", [failed_signature, transaction]),
                "getTransaction/unknown": ("getTransaction", [unknown_sig, transaction]),
                "getSignaturesForAddress/payerUsdcAta": ("getSignaturesForAddress", [payer_ata, {"commitment": "confirmed", "limit": 10}]),
                "getBalance/payer": ("getBalance", [str(payer.pubkey()), confirmed]),
                "getBalance/missing": ("getBalance", [nobody, confirmed]),
                "getTokenAccountBalance/sellerUsdcAta": ("getTokenAccountBalance", [seller_ata, confirmed]),
                "getTokenAccountBalance/missing": ("getTokenAccountBalance", [nobody, confirmed]),
            }
            responses = {}
            for name, (method, params) in calls.items():
                request, body = post(method, params)
                responses[name] = {"request": request, "body": body.decode()}
            described = service.describe()
            described["payers"] = [{k: v for k, v in p.items() if k not in ("secretKeyBase58", "keypairFile")}
                                   for p in described["payers"]]
            out = {
                "about": "Answers of the offline world's Solana JSON-RPC shim (svm_world.py over LiteSVM), captured by "
                         "Tests/SolanaRPCTests/Support/capture_shim_fixtures.py; `body` is the raw HTTP response body.",
                "world": described,
                "payment": {"signature": signature, "payerSignature": str(tx.signatures[1]), "amount": str(amount),
                            "partiallySignedTransactionBase64": partial_b64, "payer": str(payer.pubkey()),
                            "payerUsdcAta": payer_ata, "sellerUsdcAta": seller_ata, "payerToken2022Ata": payer_t22_ata,
                            "nobody": nobody, "unknownSignature": unknown_sig},
                "failed": {"signature": failed_signature, "amount": str(10**15)},
                "responses": responses,
            }
        finally:
            service.stop()
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
