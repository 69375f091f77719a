#!/usr/bin/env python3
"""The offline x402 world: a local EVM chain, an EIP-3009 "USDC", a facilitator and a seller on
the official x402 SDK, an "other host" on 127.0.0.2 and a connection-dropping front. TEST ONLY.

    python examples/local-world/world.py --out /tmp/world.json [--chain-id 84532]

Writes the JSON atomically once everything answers, then runs until SIGTERM/SIGINT and stops
every server within about a second. Keys of the JSON: see `describe()` below and README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

T0 = time.monotonic()
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from eth_utils import to_checksum_address  # noqa: E402

import chain as chainmod  # noqa: E402
import facilitator as facmod  # noqa: E402
import seller as sellermod  # noqa: E402
from fronts import DropFront, OtherHost  # noqa: E402
from netutil import listen_socket  # noqa: E402
from schemes_world import SchemesWorld  # noqa: E402  (world-b: --with svm,permit2)

log = logging.getLogger("world")

DEPLOYER, FACILITATOR, SELLER2, SELLER = 0, 1, 2, 3
FIRST_PAYER = 4
PAYER_FUNDS = 100 * 10**6  # 100 USDC


class QuietServer(uvicorn.Server):
    """uvicorn without its own signal handlers: world.py owns SIGTERM/SIGINT."""

    @contextlib.contextmanager
    def capture_signals(self):
        yield


class UvicornThread:
    def __init__(self, app, host: str, name: str):
        self.sock = listen_socket(host, 0)
        self.port = self.sock.getsockname()[1]
        cfg = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False,
                             timeout_graceful_shutdown=1, timeout_keep_alive=30, loop="asyncio", http="h11")
        self.server = QuietServer(cfg)
        self.thread = threading.Thread(target=lambda: asyncio.run(self.server.serve(sockets=[self.sock])),
                                       name=name, daemon=True)

    def start(self) -> "UvicornThread":
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"{self.thread.name} did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        self.server.should_exit = True

    def join(self, timeout: float) -> None:
        self.thread.join(timeout)


def compile_token() -> tuple[list, str]:
    from vyper import compile_code

    out = compile_code((HERE / "USDC.vy").read_text(), output_formats=["abi", "bytecode"])
    return out["abi"], out["bytecode"]


def mint_calldata(to: str, amount: int) -> str:
    from eth_abi import encode
    from eth_utils import keccak

    return "0x" + (keccak(text="mint(address,uint256)")[:4] + encode(["address", "uint256"], [to, amount])).hex()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="where to write world.json (atomically, when ready)")
    ap.add_argument("--chain-id", type=int, default=84532)
    ap.add_argument("--payers", type=int, default=10, help="funded payer accounts (at least 8)")
    ap.add_argument("--max-clock-lead", type=float, default=60.0,
                    help="seconds the chain clock may lead wall time before sends wait")
    ap.add_argument("--other-host", default="127.0.0.2")
    ap.add_argument("--verbose", action="store_true")
    # --- world-b: optional Solana / Permit2 / upto features (schemes_world.py) ---
    ap.add_argument("--with", dest="with_features", default="", metavar="svm,permit2",
                    help="optional features: svm (Solana devnet on LiteSVM), permit2 (Permit2 exact + upto), all")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="world %(name)s %(levelname)s: %(message)s", stream=sys.stderr)
    if args.payers < 8:
        ap.error("--payers must be at least 8")

    schemes = SchemesWorld(args.with_features)  # world-b: starts the Permit2 compile early
    stop_event = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop_event.set())

    timings: dict[str, float] = {}
    t = time.monotonic()

    # 1. Chain + RPC.
    chain = chainmod.Chain(args.chain_id, num_accounts=FIRST_PAYER + args.payers,
                           max_clock_lead=args.max_clock_lead)
    acct = chain.accounts
    token_box: dict[str, str] = {}

    def world_rpc(method: str, params: list):
        if method == "world_mint":
            to, amount = to_checksum_address(params[0]), int(str(params[1]), 0)
            return chain.send_transaction({"from": acct[DEPLOYER], "to": token_box["token"],
                                           "data": mint_calldata(to, amount), "gas": hex(200_000)})
        if method == "world_clockLead":
            return chain.clock_lead()
        if method in schemes.rpc:  # world-b
            return schemes.rpc[method](params)
        return chain.rpc(method, params)

    rpc = chainmod.RPCServer(world_rpc).start()
    rpc_url = f"http://127.0.0.1:{rpc.port}"
    timings["chain"] = time.monotonic() - t

    # 2. Token: compile, deploy, fund the payers — all in one block, so start-up does not push the
    #    chain clock ahead of wall time (one block per transaction would, pitfall 4).
    t = time.monotonic()
    _abi, bytecode = compile_token()
    timings["compile"] = time.monotonic() - t
    t = time.monotonic()
    payers = [{"address": acct[i], "privateKey": chain.private_keys[i]}
              for i in range(FIRST_PAYER, FIRST_PAYER + args.payers)]
    token = chain.deploy_and_fund(bytecode, acct[DEPLOYER], mint_calldata,
                                  [(p["address"], PAYER_FUNDS) for p in payers])
    token_box["token"] = token
    timings["deploy"] = time.monotonic() - t
    t = time.monotonic()
    schemes.setup_chain(chain)  # world-b
    timings["schemes"] = time.monotonic() - t

    # 3. Facilitator, seller, other host, drop front.
    t = time.monotonic()
    network = f"eip155:{args.chain_id}"
    fac, fac_signer, v1_name = facmod.build_facilitator(chain.private_keys[FACILITATOR], rpc_url, args.chain_id)
    schemes.register_facilitator(fac, fac_signer, network)  # world-b
    fac_srv = UvicornThread(facmod.build_app(fac), "127.0.0.1", "facilitator").start()
    fac_url = f"http://127.0.0.1:{fac_srv.port}"
    other = OtherHost(args.other_host).start()
    other_url = f"http://{args.other_host}:{other.port}"
    cfg = sellermod.SellerConfig(chain_id=args.chain_id, network=network, v1_network=v1_name, token=token,
                                 seller=acct[SELLER], facilitator_url=fac_url, other_host_url=other_url)
    seller_app = sellermod.build_app(cfg)
    schemes.install_seller(seller_app, facilitator_url=fac_url, evm_network=network, evm_seller=acct[SELLER],
                           usdc=token, usdc_extra=dict(sellermod.TOKEN_EXTRA))  # world-b
    seller_srv = UvicornThread(seller_app, "127.0.0.1", "seller").start()
    seller_url = f"http://127.0.0.1:{seller_srv.port}"
    drop = DropFront("127.0.0.1", seller_srv.port).start()
    drop_url = f"http://127.0.0.1:{drop.port}"
    # Warm up: the first protected request initializes the SDK middleware (facilitator /supported).
    with httpx.Client(timeout=10) as c:
        for path in ("/health", "/weather", "/multi", "/v1/weather"):
            c.get(seller_url + path)
        c.get(fac_url + "/supported")
        schemes.warm_up(c, seller_url)  # world-b
    timings["servers"] = time.monotonic() - t

    startup = time.monotonic() - T0
    world = {
        "chainId": args.chain_id,
        "network": network,
        "v1Network": v1_name,
        "rpcUrl": rpc_url,
        "token": token,
        "tokenName": "USDC",
        "tokenVersion": "2",
        "decimals": 6,
        "facilitatorUrl": fac_url,
        "sellerUrl": seller_url,
        "otherHostUrl": other_url,
        "dropUrl": drop_url,
        "seller": acct[SELLER],
        "facilitator": fac_signer.address,
        "deployer": acct[DEPLOYER],
        "payers": payers,
        "payerFunds": str(PAYER_FUNDS),
        "endpoints": {
            "v2": "/weather", "v1": "/v1/weather", "expensive": "/expensive",
            "failAfterPayment": "/fail-after-payment", "multi": "/multi",
            "redirectOther": "/redirect-other", "redirectPlain": "/redirect-plain", "free": "/health",
            "big": "/big", "drop": "/drop-once", "dropLog": "/drop-log", "otherSeen": "/seen",
        },
        "prices": dict(sellermod.PRICES),
        "multi": {
            "options": sellermod.multi_options(cfg),
            "expectedIndex": 3,
            "note": "a testnet-only, known-asset, cheapest-first client pays option 3 (20000 on the local "
                    "token); 0 is dearer, 1 is Base mainnet, 2 is an unknown asset",
        },
        "maxClockLead": args.max_clock_lead,
        "pid": os.getpid(),
        "startupSeconds": round(startup, 3),
        "startupBreakdown": {k: round(v, 3) for k, v in timings.items()},
    }
    world.update(schemes.describe())  # world-b: features, svm, permit2, schemeEndpoints, ...
    out = Path(args.out)
    tmp = out.with_name(out.name + f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(world, indent=2))
    os.replace(tmp, out)
    print(f"world: ready in {startup:.2f} s, seller {seller_url}, rpc {rpc_url}, json {out}",
          file=sys.stderr, flush=True)

    stop_event.wait()
    t = time.monotonic()
    for s in (seller_srv, fac_srv):
        s.stop()
    for s in (drop, other, rpc):
        s.stop()
    schemes.stop()  # world-b
    for s in (seller_srv, fac_srv):
        s.join(1.0)
    print(f"world: stopped in {time.monotonic() - t:.2f} s", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Daemon threads (keep-alive handlers) must not hold the exit.
    os._exit(code)
