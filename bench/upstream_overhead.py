#!/usr/bin/env python3
"""What Purse in the middle costs an MCP tool call: a free upstream tool called directly, and
the same tool called through `purse serve` (as `bench__ping`), by the same raw JSON-RPC client
over pipes, in interleaved blocks (so drift on a shared machine hits both alike).

    upstream_overhead.py --purse PATH [--runs 2000] [--block 100]

Prints JSON: {"upstream_overhead": {"direct_ms", "through_purse_ms", "added_ms_median", ...}}.
The upstream is bench/fast_upstream.py (no SDK), so its own cost is small and the same in both.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
UPSTREAM = HERE / "fast_upstream.py"


def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


class Pipe:
    """A child speaking newline-delimited JSON-RPC on stdin/stdout."""

    def __init__(self, argv: list[str], env: dict[str, str]):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env=env, bufsize=0)
        self.next_id = 0

    def request(self, method: str, params: dict | None = None) -> dict:
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params or {}}
        self.proc.stdin.write((json.dumps(msg) + "\n").encode())
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"{method}: the child closed its stdout")
            reply = json.loads(line)
            if reply.get("id") == self.next_id:
                return reply

    def notify(self, method: str) -> None:
        self.proc.stdin.write((json.dumps({"jsonrpc": "2.0", "method": method}) + "\n").encode())

    def initialize(self) -> None:
        self.request("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                    "clientInfo": {"name": "bench", "version": "1"}})
        self.notify("notifications/initialized")

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def timed_call(self, tool: str) -> float:
        t = time.perf_counter_ns()
        reply = self.request("tools/call", {"name": tool, "arguments": {}})
        dt = (time.perf_counter_ns() - t) / 1e6
        if reply.get("result", {}).get("isError") or "error" in reply:
            raise RuntimeError(f"{tool}: {reply}")
        return dt


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--purse", required=True)
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--block", type=int, default=100)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="purse-upstream-bench-") as d:
        cfg = Path(d) / "config.json"
        cfg.write_text(json.dumps({"upstreams": {"bench": {"command": sys.executable, "args": [str(UPSTREAM)]}}}))
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": d,
               # A throw-away key: the free tool is never paid for.
               "PURSE_PRIVATE_KEY": "0x" + secrets.token_hex(32)}
        direct = Pipe([sys.executable, str(UPSTREAM)], env)
        purse = Pipe([args.purse, "serve", "--no-reconcile", "--config", str(cfg), "--db", str(Path(d) / "purse.db")], env)
        try:
            direct.initialize()
            purse.initialize()
            deadline = time.monotonic() + 60
            while not any(t["name"] == "bench__ping" for t in purse.request("tools/list")["result"]["tools"]):
                if time.monotonic() > deadline:
                    raise RuntimeError("purse did not list bench__ping within 60 s")
                time.sleep(0.05)
            for _ in range(args.block):  # warm-up: caches, allocators, the page cache
                direct.timed_call("ping")
                purse.timed_call("bench__ping")
            a: list[float] = []
            b: list[float] = []
            while len(a) < args.runs:
                a += [direct.timed_call("ping") for _ in range(args.block)]
                b += [purse.timed_call("bench__ping") for _ in range(args.block)]
        finally:
            direct.close()
            purse.close()

    out = {
        "runs": len(a),
        "direct_ms": {"median": round(statistics.median(a), 4), "p99": round(pct(a, 99), 4)},
        "through_purse_ms": {"median": round(statistics.median(b), 4), "p99": round(pct(b, 99), 4)},
        "added_ms_median": round(statistics.median(b) - statistics.median(a), 4),
    }
    print(json.dumps({"upstream_overhead": out}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
