#!/usr/bin/env python3
"""Self-check of a running local world with the OFFICIAL x402 Python SDK client (httpx).

    python examples/local-world/selfcheck.py /path/world.json

Uses fresh throw-away wallets funded by `world_mint`, so the world's listed payers stay
untouched. Prints one line per check and a SUMMARY line with the timings; exits non-zero on
the first failure.
"""

from __future__ import annotations

import asyncio
import base64
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
from eth_account import Account  # noqa: E402
from x402 import x402Client  # noqa: E402
from x402.http import x402HTTPClient  # noqa: E402
from x402.http.clients import x402HttpxClient  # noqa: E402
from x402.mechanisms.evm import EthAccountSigner  # noqa: E402
from x402.mechanisms.evm.exact import register_exact_evm_client  # noqa: E402
from x402.schemas import PaymentRequired  # noqa: E402

import worldlib as wl  # noqa: E402

FUND = 100 * 10**6


def cheapest_first(_version, reqs):
    """Client policy: among what is left after spend controls, cheapest first."""
    return sorted(reqs, key=lambda r: int(r.get_amount()))


def make_client(world: dict, account, max_atomic: str = "1000000") -> x402Client:
    """Official SDK client, allowed to pay the local token only (pitfall 8: by default it only
    pays the SDK's known public assets)."""
    client = x402Client()
    # Testnet-only: v2 registered for the local network alone (so eip155:8453 is not payable).
    register_exact_evm_client(client, EthAccountSigner(account), networks=[world["network"]],
                              policies=[cheapest_first])
    allowed = [{"network": world["network"], "asset": world["token"], "max_amount_per_payment": max_atomic}]
    if world.get("v1Network"):
        allowed.append({"network": world["v1Network"], "asset": world["token"], "max_amount_per_payment": max_atomic})
    client.set_spend_controls({"allowed_assets": allowed})
    return client


def fresh_wallet(world: dict, fund: int = FUND):
    acct = Account.create()
    wl.mint(world, acct.address, fund)
    return acct


def settle_of(resp: httpx.Response, client: x402Client):
    return x402HTTPClient(client).get_payment_settle_response(lambda n: resp.headers.get(n))


def decode_required(resp: httpx.Response) -> dict:
    return json.loads(base64.b64decode(resp.headers["payment-required"]))


class Check:
    def __init__(self):
        self.results: list[tuple[str, str]] = []

    def ok(self, name: str, detail: str = "") -> None:
        self.results.append((name, detail))
        print(f"selfcheck: ok   {name}{' — ' + detail if detail else ''}", flush=True)


def _assert(cond: bool, msg: str) -> None:
    if not cond:
        raise AssertionError(msg)


async def run(world: dict, timed: int = 10) -> dict:
    c = Check()
    seller, seller_addr = world["sellerUrl"], world["seller"]
    ep, prices = world["endpoints"], world["prices"]

    # chain id
    cid = int(wl.rpc(world, "eth_chainId"), 16)
    _assert(cid == world["chainId"], f"eth_chainId {cid} != {world['chainId']}")
    c.ok("chain id", str(cid))

    # eth_call from a 0-ETH wallet, and world_mint
    acct = Account.create()
    _assert(wl.eth_balance(world, acct.address) == 0, "fresh wallet has ETH")
    _assert(wl.balance_of(world, acct.address, sender=acct.address) == 0, "fresh wallet has tokens")
    r = wl.mint(world, acct.address, FUND)
    _assert(int(r["status"], 16) == 1, "world_mint reverted")
    _assert(wl.balance_of(world, acct.address, sender=acct.address) == FUND, "world_mint did not credit")
    c.ok("eth_call from a 0-ETH wallet + world_mint", f"{acct.address} holds {FUND}")

    free = httpx.get(seller + ep["free"], timeout=10)
    _assert(free.status_code == 200, f"free endpoint {free.status_code}")

    # v2 402 + requirements
    r402 = httpx.get(seller + ep["v2"], timeout=10)
    _assert(r402.status_code == 402, f"v2 unpaid status {r402.status_code}")
    pr = decode_required(r402)
    a0 = pr["accepts"][0]
    _assert(pr["x402Version"] == 2 and a0["amount"] == prices["v2"] and a0["network"] == world["network"]
            and a0["asset"] == world["token"] and a0["payTo"] == seller_addr
            and a0["extra"] == {"name": "USDC", "version": "2"}, f"v2 requirements {pr}")
    c.ok("v2 402 + PAYMENT-REQUIRED", f"amount {a0['amount']} on {a0['network']}")

    # v2 paid
    client = make_client(world, acct)
    async with x402HttpxClient(client, timeout=30) as http:
        b_payer, b_seller = wl.balance_of(world, acct.address), wl.balance_of(world, seller_addr)
        resp = await http.get(seller + ep["v2"])
        _assert(resp.status_code == 200, f"v2 paid status {resp.status_code} {resp.headers}")
        st = settle_of(resp, client)
        _assert(st.success and st.transaction, f"v2 settle {st}")
        rc = wl.receipt(world, st.transaction)
        _assert(rc is not None and int(rc["status"], 16) == 1, f"v2 receipt {rc}")
        d_payer = wl.balance_of(world, acct.address) - b_payer
        d_seller = wl.balance_of(world, seller_addr) - b_seller
        _assert(d_payer == -int(prices["v2"]) and d_seller == int(prices["v2"]), f"v2 deltas {d_payer} {d_seller}")
        c.ok("v2 paid 200", f"payer {d_payer}, seller +{d_seller}, tx {st.transaction[:12]}… status 1")

        # v1
        if world.get("v1Network"):
            r1 = httpx.get(seller + ep["v1"], timeout=10)
            body = r1.json()
            _assert(r1.status_code == 402 and body["x402Version"] == 1
                    and body["accepts"][0]["maxAmountRequired"] == prices["v1"]
                    and body["accepts"][0]["network"] == world["v1Network"], f"v1 402 {body}")
            b_payer, b_seller = wl.balance_of(world, acct.address), wl.balance_of(world, seller_addr)
            resp = await http.get(seller + ep["v1"])
            _assert(resp.status_code == 200 and "x-payment-response" in resp.headers, f"v1 paid {resp.status_code}")
            st = settle_of(resp, client)
            _assert(st.success and st.network == world["v1Network"], f"v1 settle {st}")
            d_payer = wl.balance_of(world, acct.address) - b_payer
            d_seller = wl.balance_of(world, seller_addr) - b_seller
            _assert(d_payer == -int(prices["v1"]) and d_seller == int(prices["v1"]), f"v1 deltas {d_payer} {d_seller}")
            c.ok("v1 402 body + v1 paid 200 (X-PAYMENT)", f"payer {d_payer}, seller +{d_seller}")

    # /expensive: 200 USDC with 100 → refused, nothing settled
    rich = make_client(world, acct, max_atomic=str(10**12))
    n_before = wl.count_transfers(world, sender=acct.address)
    b_payer = wl.balance_of(world, acct.address)
    async with x402HttpxClient(rich, timeout=30) as http:
        resp = await http.get(seller + ep["expensive"])
    _assert(resp.status_code == 402, f"expensive status {resp.status_code}")
    err = decode_required(resp).get("error")
    _assert(err == "invalid_exact_evm_insufficient_balance", f"expensive error {err}")
    _assert(wl.count_transfers(world, sender=acct.address) == n_before
            and wl.balance_of(world, acct.address) == b_payer, "expensive settled something")
    c.ok("/expensive refused", err)

    # /fail-after-payment: 500, nothing settled
    async with x402HttpxClient(client, timeout=30) as http:
        resp = await http.get(seller + ep["failAfterPayment"])
    _assert(resp.status_code == 500, f"fail-after-payment status {resp.status_code}")
    _assert(wl.count_transfers(world, sender=acct.address) == n_before
            and wl.balance_of(world, acct.address) == b_payer, "fail-after-payment settled")
    c.ok("/fail-after-payment → 500, nothing settled")

    # replay: the same signed header twice → second refused, one transfer only
    r402 = httpx.get(seller + ep["v2"], timeout=10)
    payload = await client.create_payment_payload(PaymentRequired.model_validate(decode_required(r402)))
    headers = x402HTTPClient(client).encode_payment_signature_header(payload)
    first = httpx.get(seller + ep["v2"], headers=headers, timeout=30)
    second = httpx.get(seller + ep["v2"], headers=headers, timeout=30)
    _assert(first.status_code == 200, f"replay first {first.status_code}")
    err = decode_required(second).get("error") if second.status_code == 402 else None
    _assert(second.status_code == 402 and err == "invalid_exact_evm_nonce_already_used", f"replay second {second.status_code} {err}")
    _assert(wl.count_transfers(world, sender=acct.address) == n_before + 1, "replay settled twice")
    c.ok("replayed signature refused", err)

    # /multi: cheapest allowed option (local token, 0.02)
    b_seller = wl.balance_of(world, seller_addr)
    async with x402HttpxClient(client, timeout=30) as http:
        resp = await http.get(seller + ep["multi"])
    _assert(resp.status_code == 200, f"multi status {resp.status_code} {resp.headers}")
    paid = wl.balance_of(world, seller_addr) - b_seller
    _assert(paid == int(prices["multi"]), f"multi paid {paid}")
    c.ok("/multi pays the testnet, known-asset, cheapest option", f"{paid} atomic")

    # timing: sequential paid requests (402 + sign + verify + settle + 200)
    payer = fresh_wallet(world)
    tclient = make_client(world, payer)
    times = []
    async with x402HttpxClient(tclient, timeout=30) as http:
        for _ in range(timed):
            t = time.perf_counter()
            resp = await http.get(seller + ep["v2"])
            times.append(time.perf_counter() - t)
            _assert(resp.status_code == 200, f"timed payment {resp.status_code}")
    _assert(wl.balance_of(world, payer.address) == FUND - timed * int(prices["v2"]), "timed payments balance")
    med, mean = statistics.median(times) * 1000, statistics.mean(times) * 1000
    c.ok(f"{timed} timed payments", f"median {med:.0f} ms, mean {mean:.0f} ms")

    lead = wl.clock_lead(world)
    _assert(lead <= world.get("maxClockLead", 60) + 5, f"clock lead {lead:.1f} s")
    c.ok("chain clock lead", f"{lead:+.1f} s")

    summary = {"startupSeconds": world.get("startupSeconds"), "paidMedianMs": round(med, 1),
               "paidMeanMs": round(mean, 1), "n": timed, "clockLead": round(lead, 1), "checks": len(c.results)}
    print(f"SUMMARY world start-up {world.get('startupSeconds')} s (in process); paid request (official SDK "
          f"client, n={timed}) median {med:.0f} ms, mean {mean:.0f} ms; chain clock lead {lead:+.1f} s; "
          f"{len(c.results)} checks ok", flush=True)
    return summary


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    asyncio.run(run(wl.load(sys.argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
