"""Writes scripts/purse.order: the functions `purse serve` runs, for lld's --symbol-ordering-file.

    python bench/link_order.py PURSE_BINARY [--out scripts/purse.order]

Runs a debug-stripped copy of PURSE_BINARY under valgrind's callgrind (valgrind 3.19 cannot read
the toolchain's DWARF 5) through a real MCP session on pipes: initialize, tools/list, then three
paid_fetch calls against the fast seller (bench/fast_seller.py). Every function of the binary
callgrind saw run is written, mangled, one per line, in the order callgrind first reports it.
Takes about a minute. BENCH TOOLING ONLY; needs valgrind and objcopy.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from peers import NETWORK, TOKEN, SellerProcess, _read_line, stop_process  # noqa: E402


def session(binary: str, callgrind_out: str, workdir: str, seller_url: str) -> None:
    cfg = os.path.join(workdir, "c.json")
    with open(cfg, "w") as f:
        json.dump({"networks": {NETWORK: {"rpcUrl": "http://127.0.0.1:9", "assets": [
            {"address": TOKEN, "name": "USDC", "version": "2", "decimals": 6, "symbol": "USDC"}]}},
            "policy": {"maxPerRequest": "0.10", "sessionBudget": "10", "dailyBudget": "10", "allowNetworks": [NETWORK]}}, f)
    env = {"HOME": workdir, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
           "PURSE_PRIVATE_KEY": "0x" + secrets.token_hex(32)}
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + callgrind_out, binary, "serve", "--config", cfg,
           "--db", os.path.join(workdir, "p.db"), "--no-reconcile"]
    with open(os.path.join(workdir, "stderr.log"), "wb") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, env=env, bufsize=0)
        try:
            buf = bytearray()

            def call(msg: dict) -> None:
                proc.stdin.write((json.dumps(msg) + "\n").encode())
                if "id" not in msg:
                    return
                deadline = time.monotonic() + 120
                while True:
                    line = _read_line(proc.stdout, deadline, buf)
                    if line is None:
                        raise RuntimeError(f"no answer to {msg['method']} under valgrind")
                    if json.loads(line).get("id") == msg["id"]:
                        return

            call({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "link-order", "version": "0"}}})
            call({"jsonrpc": "2.0", "method": "notifications/initialized"})
            call({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
            for i in range(3):
                call({"jsonrpc": "2.0", "id": 10 + i, "method": "tools/call",
                      "params": {"name": "paid_fetch", "arguments": {"url": seller_url + "/paid"}}})
        finally:
            stop_process(proc, grace=60)


def functions(callgrind_out: str, binary_name: str) -> list[str]:
    """Functions of the binary in callgrind's order (C++ names as callgrind demangled them)."""
    objects: dict[str, str] = {}
    names: dict[str, str] = {}
    current = None
    out: list[str] = []
    seen: set[str] = set()
    with open(callgrind_out, errors="replace") as f:
        for line in f:
            m = re.match(r"(c?ob|c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
            if not m:
                continue
            kind, ident, name = m.groups()
            table = objects if kind.endswith("ob") else names
            if name:
                table[ident] = name
            if kind == "ob":
                current = objects.get(ident, "")
            elif kind == "fn" and current and os.path.basename(current) == binary_name:
                fn = names.get(ident, "").split("'")[0]
                if fn and fn not in seen:
                    seen.add(fn)
                    out.append(fn)
    return out


def mangled(binary: str) -> tuple[set[str], dict[str, str]]:
    raw = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout.splitlines()
    dem = subprocess.run(["nm", "-C", "--defined-only", binary], capture_output=True, text=True, check=True).stdout.splitlines()
    names = [r.split(" ", 2)[-1] for r in raw]
    back: dict[str, str] = {}
    for m, d in zip(names, (d.split(" ", 2)[-1] for d in dem)):
        back.setdefault(d, m)
    return set(names), back


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--out", default=str(HERE.parent / "scripts" / "purse.order"))
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="purse-link-order-")
    try:
        copy = os.path.join(work, "purse")
        subprocess.run(["objcopy", "--strip-debug", args.binary, copy], check=True)
        out = os.path.join(work, "callgrind.out")
        with SellerProcess() as seller:
            session(copy, out, work, seller.url)
        known, back = mangled(copy)
        order_set: set[str] = set()
        order: list[str] = []
        for fn in functions(out, "purse"):
            sym = fn if fn in known else back.get(fn)
            if sym and sym not in order_set:
                order_set.add(sym)
                order.append(sym)
        Path(args.out).write_text("\n".join(order) + "\n")
        print(f"link-order: {len(order)} functions written to {args.out}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
