#!/usr/bin/env python3
"""The offline Purse demo: a real 402 → pay → grant through `purse serve`, under the official MCP
client, against the local x402 world. TEST/DEMO ONLY (throw-away key, local chain).

    PURSE_BIN=.build/debug/purse .venv/bin/python examples/local-world/demo.py

(`purse demo` runs exactly this with the venv's python and PURSE_BIN set.)

Steps: start the world; create and fund a throw-away wallet; launch `purse serve`; show the
wallet, its balance, the 402 offer, the paid fetch with its receipt and content, the balance
after and the on-chain delta; print `purse spend-log`; write the HTML spend report (`purse
report`) and print its path. The report outlives the demo's temporary directory: it goes to
$PURSE_DEMO_REPORT when set, else to a new directory under the system's temporary directory.
Everything started is stopped, also on error; any failure exits non-zero.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from eth_account import Account  # noqa: E402

from mcp_driver import PurseMCP  # noqa: E402
from worldlib import balance_of, mint, receipt  # noqa: E402

# A cold first start (bytecode compile, Vyper) on a loaded 2-core machine has taken over 30 s.
WORLD_TIMEOUT = float(os.environ.get("PURSE_WORLD_TIMEOUT", "90"))
FUND_ATOMIC = 5_000_000  # 5 USDC


class DemoError(Exception):
    pass


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def usdc(atomic: int) -> str:
    sign = "-" if atomic < 0 else ""
    a = abs(atomic)
    return f"{sign}{a // 10**6}.{a % 10**6:06d} USDC"


def start_world(out: Path) -> tuple[subprocess.Popen, dict]:
    log = out.with_name("world.log")
    with open(log, "wb") as errs:
        proc = subprocess.Popen([sys.executable, str(HERE / "world.py"), "--out", str(out)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errs)
    deadline = time.monotonic() + WORLD_TIMEOUT
    while not out.exists():
        why = None
        if proc.poll() is not None:
            why = f"world.py exited with {proc.returncode} before it was ready"
        elif time.monotonic() > deadline:
            stop(proc)
            why = f"world.py not ready after {WORLD_TIMEOUT} s (set PURSE_WORLD_TIMEOUT to wait longer)"
        if why:
            tail = log.read_text(errors="replace").splitlines()[-15:]
            raise DemoError(why + ("\n" + "\n".join(tail) if tail else ""))
        time.sleep(0.05)
    return proc, json.loads(out.read_text())


def stop(proc: subprocess.Popen, timeout: float = 5.0) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)


@contextlib.contextmanager
def stderr_to(path: Path):
    """Point file descriptor 2 at `path` (the MCP client hands its own stderr to the server)."""
    sys.stderr.flush()
    saved = os.dup(2)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.dup2(fd, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(fd)


def config_for(world: dict) -> dict:
    return {
        "networks": {world["network"]: {
            "rpcUrl": world["rpcUrl"],
            "assets": [{"address": world["token"], "name": world["tokenName"], "version": world["tokenVersion"],
                        "decimals": world["decimals"], "symbol": "USDC"}],
        }},
        "policy": {"maxPerRequest": "0.10", "sessionBudget": "1.00", "dailyBudget": "5.00",
                   "allowNetworks": [world["network"]],
                   # Only the local token: the built-in Base Sepolia USDC has no contract on this chain.
                   "allowAssets": [world["token"]]},
    }


def tool_ok(name: str, res: dict) -> dict:
    if res["isError"]:
        raise DemoError(f"{name} failed: {res['text'][:2000]}")
    if res["data"] is None:
        raise DemoError(f"{name} returned no JSON: {res['text'][:2000]}")
    return res["data"]


def show_balance(data: dict) -> None:
    for b in data.get("balances", []):
        print(f"   {b.get('amount')} {b.get('symbol')}  ({b.get('network')}, token {b.get('asset')})")
    for e in data.get("errors", []) or []:
        print(f"   error: {e}")


async def run_mcp(purse_bin: str, world: dict, key: str, address: str, cfg: Path, db: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PURSE_")}
    env["PURSE_PRIVATE_KEY"] = key
    url = world["sellerUrl"] + "/weather"
    async with PurseMCP([purse_bin, "serve", "--config", str(cfg), "--db", str(db)], env=env,
                        read_timeout=60) as s:
        info = s.init_result.server_info
        print(f"   MCP server: {info.name} {info.version}, protocol {s.negotiated_version}")
        print(f"   tools: {', '.join(await s.tool_names())}")

        step("1. Wallet")
        w = tool_ok("wallet_address", await s.call("wallet_address"))
        shown = w.get("address") if isinstance(w, dict) else w
        print(f"   address: {shown}")
        if str(shown).lower() != address.lower():
            raise DemoError(f"purse reports address {shown}, the demo key is {address}")

        step("2. Balance before")
        show_balance(tool_ok("wallet_balance", await s.call("wallet_balance")))
        chain_before = balance_of(world, address)
        seller_before = balance_of(world, world["seller"])

        step(f"3. Quote {url} (pays nothing)")
        q = tool_ok("quote", await s.call("quote", {"url": url}))
        chosen = q.get("chosen")
        if chosen is None or not q.get("wouldPay"):
            raise DemoError(f"quote would not pay: {json.dumps(q)[:2000]}")
        opt = next(o for o in q["options"] if o.get("index") == chosen)
        print(f"   HTTP {q.get('status')} Payment Required, x402 v{q.get('x402Version')}")
        print(f"   price: {opt['amount']} {opt.get('symbol') or 'USDC'} ({opt['amountAtomic']} atomic units)")
        print(f"   network: {opt['network']}   payee: {opt['payTo']}")
        if balance_of(world, address) != chain_before:
            raise DemoError("the quote moved money")

        step(f"4. paid_fetch {url}")
        f = tool_ok("paid_fetch", await s.call("paid_fetch", {"url": url}))
        pay = f.get("payment") or {}
        tx = pay.get("transaction")
        print(f"   HTTP {f.get('status')}, outcome {f.get('outcome')}")
        print(f"   paid {pay.get('amount')} {pay.get('symbol')} to {pay.get('payTo')} on {pay.get('network')}")
        print(f"   receipt: transaction {tx} ({pay.get('status')})")
        print(f"   content: {f.get('body', '')[:500]}")
        if f.get("outcome") != "paid" or f.get("status") != 200 or not tx:
            raise DemoError(f"paid_fetch did not pay and return content: {json.dumps(f)[:2000]}")
        rc = receipt(world, tx)
        if not rc or int(rc["status"], 16) != 1:
            raise DemoError(f"transaction {tx} has no successful receipt on chain: {rc}")
        print(f"   on chain: block {int(rc['blockNumber'], 16)}, status 1")

        step("5. Balance after")
        show_balance(tool_ok("wallet_balance", await s.call("wallet_balance")))
        delta = balance_of(world, address) - chain_before
        seller_delta = balance_of(world, world["seller"]) - seller_before
        print(f"   on-chain delta: payer {usdc(delta)}, seller {usdc(seller_delta)}")
        if delta != -int(pay["amountAtomic"]) or seller_delta != int(pay["amountAtomic"]):
            raise DemoError("the on-chain balance change does not match the payment")
        return f


def main() -> int:
    purse_bin = os.environ.get("PURSE_BIN") or str(REPO / ".build" / "debug" / "purse")
    if not os.access(purse_bin, os.X_OK):
        print(f"demo: no purse binary at {purse_bin} (set PURSE_BIN)", file=sys.stderr)
        return 1
    print("Purse demo: x402 402 → pay → grant on a local chain (offline, throw-away key)")
    world_proc = None
    try:
        with tempfile.TemporaryDirectory(prefix="purse-demo-") as d:
            tmp = Path(d)
            step("0. Starting the offline x402 world")
            t = time.monotonic()
            world_proc, world = start_world(tmp / "world.json")
            print(f"   ready in {time.monotonic() - t:.1f} s: chain {world['rpcUrl']} (id {world['chainId']}), "
                  f"seller {world['sellerUrl']}")
            acct = Account.create()
            key = "0x" + bytes(acct.key).hex()
            mint(world, acct.address, FUND_ATOMIC)
            print(f"   throw-away wallet {acct.address} funded with {usdc(FUND_ATOMIC)}")
            cfg, db = tmp / "config.json", tmp / "purse.db"
            cfg.write_text(json.dumps(config_for(world), indent=2))

            server_log = tmp / "purse-serve.log"
            print(f"   launching `purse serve` under the MCP client (its log: {server_log.name})")
            try:
                with stderr_to(server_log):  # the server's stderr log would interleave with the steps
                    asyncio.run(asyncio.wait_for(run_mcp(purse_bin, world, key, acct.address, cfg, db), 120))
            except BaseException:
                tail = server_log.read_text(errors="replace").splitlines()[-20:] if server_log.exists() else []
                print("\n-- last lines of the purse serve log --\n" + "\n".join(tail), file=sys.stderr)
                raise

            step("6. purse spend-log")
            env = {k: v for k, v in os.environ.items() if not k.startswith("PURSE_")}
            env["PURSE_PRIVATE_KEY"] = key
            r = subprocess.run([purse_bin, "spend-log", "--config", str(cfg), "--db", str(db)], env=env,
                               capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
            print(r.stdout.rstrip())
            if r.returncode != 0:
                raise DemoError(f"purse spend-log exited {r.returncode}: {r.stderr.strip()}")

            step("7. purse report")
            out = os.environ.get("PURSE_DEMO_REPORT") or str(
                Path(tempfile.mkdtemp(prefix="purse-demo-report-")) / "purse-report.html")
            r = subprocess.run([purse_bin, "report", "--config", str(cfg), "--db", str(db), "--out", out], env=env,
                               capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
            if r.returncode != 0:
                raise DemoError(f"purse report exited {r.returncode}: {r.stderr.strip()}")
            print(f"   spend report (one self-contained HTML file, open it in a browser): {r.stdout.strip()}")
            print("\n== Done: paid once, on chain, within budget.")
            return 0
    except DemoError as e:
        print(f"\ndemo FAILED: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # noqa: BLE001 - any failure is a failed demo, with its cause
        print(f"\ndemo FAILED: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    finally:
        if world_proc is not None:
            stop(world_proc)


if __name__ == "__main__":
    sys.exit(main())
