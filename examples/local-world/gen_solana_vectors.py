#!/usr/bin/env python3
"""Generate fixtures/solana_vectors.json: test vectors for Purse's own Solana code. TEST ONLY.

    python examples/local-world/gen_solana_vectors.py            # rewrite fixtures/solana_vectors.json
    python examples/local-world/gen_solana_vectors.py --stdout   # print it instead

Deterministic (fixed seeds). Every expected value comes from solders 0.27.1 (the Rust Solana SDK's
code), and the transactions from the x402 SDK 2.25.0 client itself:

- findProgramAddress: associated-token-account derivations (seeds [owner, tokenProgram, mint],
  program ATokenGP…), with the bump found and every bump tried before it that gave an on-curve
  point (and so was skipped), with the SHA-256 candidate of each tried bump.
- isOnCurve: Solana's "is this 32-byte string a valid ed25519 point" (curve25519-dalek's
  decompress) for random strings, real public keys, and the cases where libsodium's stricter
  check disagrees: small-order points, points with a torsion component, non-canonical y (y >= p),
  x = 0 with the sign bit set.
- transferChecked: partially signed v0 transactions exactly as the x402 SDK client builds them
  (SetComputeUnitLimit, SetComputeUnitPrice, TransferChecked, Memo), with their message bytes,
  the payer's signature, and the transaction after the fee payer signs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "fixtures" / "solana_vectors.json"

ATA_PROGRAM = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL"
TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
TOKEN_2022_PROGRAM = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"
USDC_DEVNET = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
USDC_MAINNET = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
DEVNET = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
PDA_MARKER = b"ProgramDerivedAddress"

# --- ed25519 arithmetic, only to *construct* edge-case encodings (expected values come from solders)

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = (-121665 * pow(121666, P - 2, P)) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _recover_x(y: int, sign: int) -> int | None:
    y %= P
    u, v = (y * y - 1) % P, (D * y * y + 1) % P
    x2 = u * pow(v, P - 2, P) % P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P:
        return None
    if x & 1 != sign:
        x = P - x
    return x


def _add(a, b):
    (x1, y1), (x2, y2) = a, b
    t = D * x1 * x2 * y1 * y2 % P
    return ((x1 * y2 + x2 * y1) * pow(1 + t, P - 2, P) % P, (y1 * y2 + x1 * x2) * pow(1 - t, P - 2, P) % P)


def _mul(k: int, pt):
    acc, add = (0, 1), pt
    while k:
        if k & 1:
            acc = _add(acc, add)
        add = _add(add, add)
        k >>= 1
    return acc


def _encode(pt) -> bytes:
    x, y = pt
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


BASE = (_recover_x(4 * pow(5, P - 2, P) % P, 0), 4 * pow(5, P - 2, P) % P)


def _order8_point(rng: random.Random):
    while True:
        y = rng.randrange(P)
        x = _recover_x(y, 0)
        if x is None:
            continue
        t = _mul(L, (x, y))
        if _mul(4, t) != (0, 1):
            return t


# --- vectors ------------------------------------------------------------------------------------


def find_program_address_cases(rng: random.Random) -> list[dict]:
    from solders.keypair import Keypair
    from solders.pubkey import Pubkey

    ata_program = Pubkey.from_string(ATA_PROGRAM)
    cases = []
    mints = [USDC_DEVNET, USDC_MAINNET] + [str(Pubkey(rng.randbytes(32))) for _ in range(6)]
    i = 0
    while len(cases) < 320:
        program = (TOKEN_PROGRAM, TOKEN_2022_PROGRAM)[i % 2]
        mint = mints[(i // 2) % len(mints)] if i % 5 else USDC_DEVNET
        # Owners: mostly real wallet keys (on the curve), some arbitrary 32-byte strings.
        owner = (str(Keypair.from_seed(rng.randbytes(32)).pubkey()) if i % 4 else str(Pubkey(rng.randbytes(32))))
        seeds = [bytes(Pubkey.from_string(owner)), bytes(Pubkey.from_string(program)), bytes(Pubkey.from_string(mint))]
        address, bump = Pubkey.find_program_address(seeds, ata_program)
        tried = []
        for b in range(255, bump - 1, -1):
            digest = hashlib.sha256(b"".join(seeds) + bytes([b]) + bytes(ata_program) + PDA_MARKER).digest()
            on_curve = Pubkey(digest).is_on_curve()
            tried.append({"bump": b, "sha256": digest.hex(), "onCurve": on_curve})
            try:
                derived = Pubkey.create_program_address(seeds + [bytes([b])], ata_program)
                assert not on_curve and derived == address and b == bump
            except Exception:  # noqa: BLE001 - solders refuses an on-curve candidate
                assert on_curve and b != bump
        assert [t["bump"] for t in tried if t["onCurve"]] == list(range(255, bump, -1))
        cases.append({"owner": owner, "mint": mint, "tokenProgram": program, "programId": ATA_PROGRAM,
                      "seedsHex": [s.hex() for s in seeds], "address": str(address), "bump": bump,
                      "skippedOnCurveBumps": list(range(255, bump, -1)), "candidates": tried})
        i += 1
    return cases


def is_on_curve_cases(rng: random.Random) -> list[dict]:
    from solders.keypair import Keypair
    from solders.pubkey import Pubkey

    raw: list[tuple[str, bytes]] = []
    raw += [("random", rng.randbytes(32)) for _ in range(200)]
    raw += [("publicKey", bytes(Keypair.from_seed(rng.randbytes(32)).pubkey())) for _ in range(60)]
    t8 = _order8_point(rng)
    torsion = [_mul(k, t8) for k in range(8)]
    raw += [(f"smallOrder{k}", _encode(t)) for k, t in enumerate(torsion)]
    for _ in range(12):
        p = _mul(rng.randrange(1, L), BASE)
        raw.append(("primeOrderPoint", _encode(p)))
        raw.append(("withTorsionComponent", _encode(_add(p, torsion[rng.randrange(1, 8)]))))
    for y in range(19):  # y + p < 2^255: non-canonical encodings of y
        for sign in (0, 1):
            raw.append(("nonCanonicalY", ((y + P) | (sign << 255)).to_bytes(32, "little")))
    raw.append(("xZeroSignBitSet", (1 | (1 << 255)).to_bytes(32, "little")))
    raw.append(("xZeroSignBitSet", ((P - 1) | (1 << 255)).to_bytes(32, "little")))
    raw.append(("allZero", bytes(32)))
    raw.append(("allOnes", b"\xff" * 32))
    out = []
    for kind, b in raw:
        out.append({"kind": kind, "bytesHex": b.hex(), "base58": str(Pubkey(b)), "onCurve": Pubkey(b).is_on_curve()})
    return out


def transfer_checked_cases() -> list[dict]:
    """Partially signed transactions from the x402 SDK client (2.25.0) itself, made deterministic:
    the blockhash comes from extra.recentBlockhash, the mint metadata from a pre-filled cache, and
    the random memo nonce from a fixed os.urandom."""
    from solders.keypair import Keypair
    from solders.pubkey import Pubkey
    from solders.signature import Signature
    from solders.transaction import VersionedTransaction
    from x402.mechanisms.svm import KeypairSigner
    from x402.mechanisms.svm.exact import client as svm_client_mod
    from x402.mechanisms.svm.exact.client import ExactSvmScheme
    from x402.mechanisms.svm.mint_cache import MintMetadata
    from x402.mechanisms.svm.utils import derive_ata
    from x402.schemas import PaymentRequirements

    def kp(name: str) -> Keypair:
        return Keypair.from_seed(hashlib.sha256(b"purse-vectors/" + name.encode()).digest())

    payer, fee_payer, pay_to = kp("payer"), kp("fee-payer"), kp("pay-to")
    t22_mint = str(kp("token-2022-mint").pubkey())
    blockhash = str(Pubkey(hashlib.sha256(b"purse-vectors/blockhash").digest()))
    variants = [
        {"name": "usdc-devnet-random-memo", "mint": USDC_DEVNET, "program": TOKEN_PROGRAM, "amount": 10000,
         "memo": None, "payTo": pay_to},
        {"name": "usdc-devnet-seller-memo", "mint": USDC_DEVNET, "program": TOKEN_PROGRAM, "amount": 10000,
         "memo": "pi_3abc123def456", "payTo": pay_to},
        {"name": "token-2022-random-memo", "mint": t22_mint, "program": TOKEN_2022_PROGRAM, "amount": 1,
         "memo": None, "payTo": pay_to},
        {"name": "usdc-large-amount-utf8-memo", "mint": USDC_DEVNET, "program": TOKEN_PROGRAM,
         "amount": 18446744073709551615, "memo": "facture n°42 — ✓", "payTo": pay_to},
        {"name": "fee-payer-is-pay-to", "mint": USDC_DEVNET, "program": TOKEN_PROGRAM, "amount": 10000,
         "memo": "merchant-sponsored", "payTo": fee_payer},
    ]
    nonce = bytes.fromhex("00112233445566778899aabbccddeeff")
    original = svm_client_mod.os.urandom
    out = []
    try:
        svm_client_mod.os.urandom = lambda n: nonce[:n]  # the SDK's random memo nonce, made fixed
        for v in variants:
            scheme = ExactSvmScheme(KeypairSigner(payer), rpc_url="http://127.0.0.1:9")  # never called
            scheme._mint_cache[(DEVNET, v["mint"])] = MintMetadata(decimals=6, token_program=Pubkey.from_string(v["program"]))
            extra = {"feePayer": str(fee_payer.pubkey()), "recentBlockhash": blockhash}
            if v["memo"] is not None:
                extra["memo"] = v["memo"]
            req = PaymentRequirements(scheme="exact", network=DEVNET, asset=v["mint"], amount=str(v["amount"]),
                                      pay_to=str(v["payTo"].pubkey()), max_timeout_seconds=60, extra=extra)
            tx_b64 = scheme.create_payment_payload(req)["transaction"]
            tx = VersionedTransaction.from_bytes(base64.b64decode(tx_b64))
            msg = tx.message
            body = bytes(msg)
            signed_message = bytes([0x80]) + body
            fee_sig = fee_payer.sign_message(signed_message)
            full = VersionedTransaction.populate(msg, [fee_sig, tx.signatures[1]])
            assert tx.signatures[0] == Signature.default()
            assert payer.sign_message(signed_message) == tx.signatures[1]
            keys = [str(k) for k in msg.account_keys]
            out.append({
                "name": v["name"],
                "inputs": {
                    "payerSeedHex": hashlib.sha256(b"purse-vectors/payer").hexdigest(),
                    "payer": str(payer.pubkey()), "payerSecretKeyBase58": str(payer),
                    "feePayer": str(fee_payer.pubkey()),
                    "feePayerSeedHex": hashlib.sha256(b"purse-vectors/fee-payer").hexdigest(),
                    "payTo": str(v["payTo"].pubkey()), "mint": v["mint"], "tokenProgram": v["program"],
                    "decimals": 6, "amount": str(v["amount"]), "recentBlockhash": blockhash,
                    "extraMemo": v["memo"], "randomMemoNonceHex": None if v["memo"] is not None else nonce.hex(),
                },
                "derived": {
                    "sourceAta": derive_ata(str(payer.pubkey()), v["mint"], v["program"]),
                    "destinationAta": derive_ata(str(v["payTo"].pubkey()), v["mint"], v["program"]),
                    "memoUtf8": bytes(msg.instructions[3].data).decode("utf-8"),
                },
                "message": {
                    "header": {"numRequiredSignatures": msg.header.num_required_signatures,
                               "numReadonlySignedAccounts": msg.header.num_readonly_signed_accounts,
                               "numReadonlyUnsignedAccounts": msg.header.num_readonly_unsigned_accounts},
                    "accountKeys": keys,
                    "instructions": [{"programIdIndex": ix.program_id_index, "program": keys[ix.program_id_index],
                                      "accounts": list(bytes(ix.accounts)), "dataHex": bytes(ix.data).hex()}
                                     for ix in msg.instructions],
                    "addressTableLookups": [],
                },
                "messageV0BodyHex": body.hex(),
                "signedMessageHex": signed_message.hex(),
                "payerSignatureBase58": str(tx.signatures[1]),
                "partiallySignedTransactionBase64": tx_b64,
                "feePayerSignatureBase58": str(fee_sig),
                "fullySignedTransactionBase64": base64.b64encode(bytes(full)).decode(),
            })
    finally:
        svm_client_mod.os.urandom = original
    return out


def build() -> dict:
    import solders
    import x402

    return {
        "about": "Solana vectors for Purse (ATA derivation, on-curve check, x402 exact SVM transactions); "
                 "generated by examples/local-world/gen_solana_vectors.py, expected values from solders and "
                 "the x402 SDK client",
        "generator": {"solders": getattr(solders, "__version__", "0.27.1"), "x402": getattr(x402, "__version__", "2.25.0")},
        "pdaHash": "sha256(seed_0 || … || seed_n || [bump] || programId || \"ProgramDerivedAddress\"); "
                   "bumps are tried from 255 down; the first candidate that is NOT a valid ed25519 point wins",
        "findProgramAddress": find_program_address_cases(random.Random(402_1)),
        "isOnCurve": is_on_curve_cases(random.Random(402_2)),
        "transferChecked": transfer_checked_cases(),
    }


def main() -> int:
    text = json.dumps(build(), indent=1, ensure_ascii=False) + "\n"
    if sys.argv[1:] == ["--stdout"]:
        sys.stdout.write(text)
        return 0
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(text)
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
