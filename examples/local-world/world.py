#!/usr/bin/env python3
"""The offline x402 world: a local EVM chain, an EIP-3009 "USDC", a facilitator and a seller on
the official x402 SDK (also over HTTPS, with x402 extension routes), an "other host" on
127.0.0.2, connection-dropping fronts and a Bazaar discovery service. TEST ONLY.

    python examples/local-world/world.py --out /tmp/world.json [--chain-id 84532]

Writes the JSON atomically once everything answers, then runs until SIGTERM/SIGINT and stops
every server within about a second. Keys of the JSON: see the `world` dict below and README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

T0 = time.monotonic()
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from eth_utils import keccak, to_checksum_address  # noqa: E402

import chain as chainmod  # noqa: E402
import discovery as discoverymod  # noqa: E402
import facilitator as facmod  # noqa: E402
import seller as sellermod  # noqa: E402
import sellerext  # noqa: E402
from fronts import DropFront, IdDropFront, OtherHost  # noqa: E402
from netutil import listen_socket  # noqa: E402
from schemes_world import SchemesWorld  # noqa: E402  (world-b: --with svm,permit2)
from tlsutil import MISMATCH_HOST, make_tls_files  # noqa: E402

log = logging.getLogger("world")

DEPLOYER, FACILITATOR, SELLER2, SELLER = 0, 1, 2, 3
FIRST_PAYER = 4
PAYER_FUNDS = 100 * 10**6  # 100 USDC
# offer-receipt signing keys: fixed, so offerSignerAddress is the same on every run. Test keys only.
OFFER_SIGNER_KEY = "0x" + keccak(text="purse test world: offer and receipt signer").hex()
OFFER_WRONG_KEY = "0x" + keccak(text="purse test world: NOT the published offer signer").hex()
# MCP servers named by discovery items (type "mcp"). None = placeholder URL on a port nobody
# listens on (discovery.MCP_PLACEHOLDER_URL); set a real URL here once a paid MCP server exists.
MCP_SERVER_URLS: dict[str, str | None] = {"paidTools": None}


class QuietServer(uvicorn.Server):
    """uvicorn without its own signal handlers: world.py owns SIGTERM/SIGINT."""

    @contextlib.contextmanager
    def capture_signals(self):
        yield


class UvicornGroup:
    """Several uvicorn servers (e.g. one app over HTTP and HTTPS) in ONE thread and event loop, so
    an app's loop-bound state (the SDK's cached httpx.AsyncClient) is shared by all of them."""

    def __init__(self, name: str):
        self.name = name
        self.servers: list[tuple[QuietServer, object]] = []
        self.thread: threading.Thread | None = None

    def add(self, app, sock=None, host: str = "127.0.0.1", certfile: str | None = None,
            keyfile: str | None = None) -> int:
        """Adds a server for `app` on `sock` (or a fresh loopback socket); returns its port."""
        sock = sock or listen_socket(host, 0)
        cfg = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False,
                             timeout_graceful_shutdown=1, timeout_keep_alive=30, loop="asyncio", http="h11",
                             ssl_certfile=certfile, ssl_keyfile=keyfile)
        self.servers.append((QuietServer(cfg), sock))
        return sock.getsockname()[1]

    def start(self) -> "UvicornGroup":
        async def run_all():
            await asyncio.gather(*(srv.serve(sockets=[sock]) for srv, sock in self.servers))

        self.thread = threading.Thread(target=lambda: asyncio.run(run_all()), name=self.name, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not all(srv.started for srv, _ in self.servers):
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"{self.name} did not start")
            time.sleep(0.005)
        return self

    @property
    def port(self) -> int:
        return self.servers[0][1].getsockname()[1]

    def stop(self) -> None:
        for srv, _ in self.servers:
            srv.should_exit = True

    def join(self, timeout: float) -> None:
        if self.thread:
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

    # 3. Facilitator (HTTP + HTTPS), seller (HTTP + HTTPS + mismatched HTTPS), other host, fronts.
    t = time.monotonic()
    network = f"eip155:{args.chain_id}"
    tls_dir = Path(tempfile.mkdtemp(prefix="purse-world-tls-"))
    tls = make_tls_files(tls_dir)
    timings["tls"] = time.monotonic() - t
    fac, fac_signer, v1_name = facmod.build_facilitator(chain.private_keys[FACILITATOR], rpc_url, args.chain_id)
    schemes.register_facilitator(fac, fac_signer, network)  # world-b
    fac_app = facmod.build_app(fac)
    pending_prefixes = facmod.mount_pending_facilitators(fac_app, fac_signer, args.chain_id)
    fac_srv = UvicornGroup("facilitator")
    fac_port = fac_srv.add(fac_app)
    fac_https_port = fac_srv.add(fac_app, certfile=str(tls.cert_file), keyfile=str(tls.key_file))
    fac_srv.start()
    fac_url = f"http://127.0.0.1:{fac_port}"
    fac_https_url = f"https://127.0.0.1:{fac_https_port}"
    other = OtherHost(args.other_host).start()
    other_url = f"http://{args.other_host}:{other.port}"
    cfg = sellermod.SellerConfig(chain_id=args.chain_id, network=network, v1_network=v1_name, token=token,
                                 seller=acct[SELLER], facilitator_url=fac_url, other_host_url=other_url)
    seller_sock = listen_socket("127.0.0.1", 0)
    seller_url = f"http://127.0.0.1:{seller_sock.getsockname()[1]}"
    seller_app = sellermod.build_app(cfg)
    schemes.install_seller(seller_app, facilitator_url=fac_url, evm_network=network, evm_seller=acct[SELLER],
                           usdc=token, usdc_extra=dict(sellermod.TOKEN_EXTRA))  # world-b
    now = int(time.time())
    ext = sellerext.install(seller_app, sellerext.ExtConfig(
        chain_id=args.chain_id, network=network, token=token, seller=acct[SELLER], facilitator_url=fac_url,
        seller_origin=seller_url, pending_urls={m: fac_url + p for m, p in pending_prefixes.items()},
        offer_key=OFFER_SIGNER_KEY, offer_wrong_key=OFFER_WRONG_KEY, offer_other_pay_to=acct[SELLER2],
        offer_valid_until=now + 7 * 24 * 3600, offer_expired_at=now - 3600))
    seller_srv = UvicornGroup("seller")
    seller_srv.add(seller_app, sock=seller_sock)
    seller_https_port = seller_srv.add(seller_app, certfile=str(tls.cert_file), keyfile=str(tls.key_file))
    mismatch_port = seller_srv.add(seller_app, certfile=str(tls.mismatch_cert_file),
                                   keyfile=str(tls.mismatch_key_file))
    seller_srv.start()
    seller_https_url = f"https://127.0.0.1:{seller_https_port}"
    mismatch_url = f"https://127.0.0.1:{mismatch_port}"
    drop = DropFront("127.0.0.1", seller_srv.port).start()
    drop_url = f"http://127.0.0.1:{drop.port}"
    id_drop = IdDropFront("127.0.0.1", seller_srv.port).start()
    id_drop_url = f"http://127.0.0.1:{id_drop.port}"
    # Warm up: the first protected request initializes the SDK middleware (facilitator /supported).
    # verify=False: plain http on loopback, and it skips loading the CA bundle (tens of ms).
    with httpx.Client(timeout=10, verify=False) as c:
        for path in ("/health", "/weather", "/multi", "/v1/weather"):
            c.get(seller_url + path)
        c.get(fac_url + "/supported")
        schemes.warm_up(c, seller_url)  # world-b
    timings["servers"] = time.monotonic() - t
    t = time.monotonic()
    items, roles = discoverymod.build_catalog(seller_url, MCP_SERVER_URLS)
    disc = discoverymod.DiscoveryService(items, roles).start()
    timings["discovery"] = time.monotonic() - t

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
            **ext.paths,
        },
        # HTTPS (TLS material in tlsDir, made at start; see README.md "HTTPS").
        "sellerHttpsUrl": seller_https_url,
        "facilitatorHttpsUrl": fac_https_url,
        "mismatchHttpsUrl": mismatch_url,
        "mismatchHost": MISMATCH_HOST,
        "caFile": str(tls.ca_file),
        "wrongCaFile": str(tls.wrong_ca_file),
        "tlsDir": str(tls_dir),
        # Extensions (README.md "x402 extensions").
        "idDropUrl": id_drop_url,
        "siwxOrigin": seller_url,
        "siwxOtherOrigin": sellerext.SIWX_OTHER_ORIGIN,
        "siwxOtherChain": sellerext.SIWX_OTHER_CHAIN,
        "offerSignerAddress": ext.offer_ext.signer_address,
        "offerWrongSignerAddress": ext.offer_ext.wrong_address,
        "offerOtherPayTo": acct[SELLER2],
        "facilitatorPendingUrls": {m: fac_url + p for m, p in pending_prefixes.items()},
        # Bazaar discovery (README.md "Discovery").
        "discovery": disc.bases(),
        "discoveryRoles": disc.roles,
        "discoveryLogUrl": f"http://127.0.0.1:{disc.port}/log",
        "mcpServerUrls": {k: v or discoverymod.MCP_PLACEHOLDER_URL for k, v in MCP_SERVER_URLS.items()},
        "mcpServerUrlsPlaceholder": sorted(k for k, v in MCP_SERVER_URLS.items() if not v),
        "prices": {**sellermod.PRICES, **sellerext.PRICES},
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

    # Bounded waits in a loop, not one endless wait: the main thread must wake to run the Python
    # signal handler even when the kernel delivers SIGTERM to another thread (seen on this sandbox
    # with a thread blocked in a discovery `hang` handler: the world then never stopped).
    while not stop_event.wait(0.25):
        pass
    t = time.monotonic()
    for s in (seller_srv, fac_srv):
        s.stop()
    for s in (drop, id_drop, other, disc, rpc):
        s.stop()
    schemes.stop()  # world-b
    for s in (seller_srv, fac_srv):
        s.join(1.0)
    shutil.rmtree(tls_dir, ignore_errors=True)
    print(f"world: stopped in {time.monotonic() - t:.2f} s", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Daemon threads (keep-alive handlers) must not hold the exit.
    os._exit(code)
