"""The Python side of Purse's benchmark: the peers, measured on this machine. BENCH ONLY.

Prints one JSON object on stdout; human progress goes to stderr.

    .venv/bin/python bench/peers.py [--runs N] [--spawn-runs N] [--purse PATH] [--seller-url URL]
                                    [--only ITEM,...] [--sqlite-attempts N]

Items (keys of the JSON):
  sdk_client_work_ms   the official x402 SDK client's work per paid request, in-process and without
                       network: a recorded 402 → parse PAYMENT-REQUIRED → hooks, select, sign
                       (create_payment_payload) → encode PAYMENT-SIGNATURE, exactly the steps
                       x402AsyncTransport takes; best configuration (coincurve, if installed).
  sdk_e2e_ms           x402HttpxClient against the fast seller: 402 → sign → paid retry → 200.
  floor_two_rtt_ms     two plain keep-alive round trips to /plain with the same httpx client.
  seller_verify_ms     the fast seller's own verify time (X-Verify-Micros).
  mcp                  spawn → `initialize` reply over raw JSON-RPC on pipes, and idle RSS ~1 s
                       after it, for `purse serve` and the Python MCP peers; for `purse serve`
                       also spawn → `server/discover` reply (MCP 2026-07-28, no handshake).
  mcp_paid             a warm `paid_fetch` through `purse serve` with the official Python MCP client
                       (stdio), against the fast seller, and `ping` through the same client;
                       then both from a minimal client (JSON lines on buffered pipes), which
                       separates the server's share from the official client's.
  py_sqlite            Python sqlite3 reservations/s with 1 and 4 processes (WAL, synchronous=FULL,
                       BEGIN IMMEDIATE, SUM over the day, INSERT), counting overspends.

Every process it starts is stopped in a finally block; every loop is bounded; all servers listen
on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import secrets
import selectors
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable

NETWORK = "eip155:84532"
TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
PAY_TO = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
INIT_REQUEST = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                           "clientInfo": {"name": "purse-peers-bench", "version": "0"}}}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
# MCP 2026-07-28 has no handshake: a client's first request is `server/discover` (the official
# client's probe) with the per-request envelope in `_meta`.
DISCOVER_REQUEST = {"jsonrpc": "2.0", "id": 1, "method": "server/discover", "params": {"_meta": {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": {"name": "bench", "version": "1"}}}}


def log(msg: str) -> None:
    print(f"peers: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Statistics (same percentile rule as Sources/PurseBench/Stats.swift: index round((n-1)·p))

def pct(samples: list[float], p: float) -> float:
    if not samples:
        return 0.0
    s = sorted(samples)
    i = min(len(s) - 1, max(0, int(round((len(s) - 1) * p))))
    return s[i]


def r3(x: float) -> float:
    return round(x, 3)


def ms(ns: int) -> float:
    return ns / 1e6


# ---------------------------------------------------------------------------------------------
# The fast seller as a subprocess

class SellerProcess:
    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def __enter__(self) -> SellerProcess:
        self.proc = subprocess.Popen([PY, str(HERE / "fast_seller.py")], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=sys.stderr, cwd=str(REPO))
        line = _read_line(self.proc.stdout, time.monotonic() + 30)
        if not line or not line.startswith(b"READY "):
            raise RuntimeError(f"fast seller did not start: {line!r}")
        self.url = f"http://127.0.0.1:{int(line.split()[1])}"
        return self

    def __exit__(self, *exc: Any) -> None:
        stop_process(self.proc)


def stop_process(proc: subprocess.Popen | None, grace: float = 5.0) -> None:
    """Close stdin (the polite stop), then SIGTERM, then SIGKILL; always reaps."""
    if proc is None:
        return
    try:
        if proc.stdin and not proc.stdin.closed:
            proc.stdin.close()
    except OSError:
        pass
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=grace)
    for f in (proc.stdout, proc.stderr):
        try:
            if f:
                f.close()
        except OSError:
            pass


def _read_line(stream: Any, deadline: float, buf: bytearray | None = None) -> bytes | None:
    """One line from a pipe, or None at EOF or the deadline (bounded wait, no blocking read)."""
    buf = buf if buf is not None else bytearray()
    fd = stream.fileno()
    sel = selectors.DefaultSelector()
    sel.register(fd, selectors.EVENT_READ)
    try:
        while True:
            nl = buf.find(b"\n")
            if nl >= 0:
                line = bytes(buf[:nl])
                del buf[:nl + 1]
                return line
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            buf += chunk
    finally:
        sel.close()


# ---------------------------------------------------------------------------------------------
# a. Official SDK client work per paid request (in-process, no network)

def make_sdk_client() -> tuple[Any, Any, str]:
    from eth_account import Account
    from x402 import x402Client
    from x402.mechanisms.evm import EthAccountSigner
    from x402.mechanisms.evm.exact import register_exact_evm_client

    client = x402Client()
    acct = Account.create()
    register_exact_evm_client(client, EthAccountSigner(acct))
    client.set_spend_controls(
        {"allowed_assets": [{"network": NETWORK, "asset": TOKEN, "max_amount_per_payment": "100000"}]})
    return client, acct, acct.address


def coincurve_active() -> bool:
    """True when eth-keys (which eth-account signs with) runs on the coincurve backend."""
    try:
        from eth_keys.backends import get_backend

        return type(get_backend()).__name__ == "CoinCurveECCBackend"
    except Exception:  # noqa: BLE001
        return False


def recorded_402(seller_url: str | None) -> tuple[dict[str, str], bytes, str]:
    """A 402 as the fast seller sends it (recorded once over the wire when a seller is up)."""
    url = (seller_url or "http://127.0.0.1:1") + "/paid"
    if seller_url:
        import httpx

        r = httpx.get(url, timeout=10)
        assert r.status_code == 402, r.status_code
        return dict(r.headers), r.content, url
    pr = {"x402Version": 2, "error": "Payment required",
          "resource": {"url": url, "description": "fast bench seller", "mimeType": "application/json"},
          "accepts": [{"scheme": "exact", "network": NETWORK, "asset": TOKEN, "amount": "10000", "payTo": PAY_TO,
                       "maxTimeoutSeconds": 300, "extra": {"name": "USDC", "version": "2"}}]}
    header = base64.b64encode(json.dumps(pr, separators=(",", ":")).encode()).decode()
    return {"content-type": "application/json", "payment-required": header, "content-length": "2"}, b"{}", url


def bench_sdk_client_work(runs: int, seller_url: str | None) -> dict:
    import httpx
    from x402.http import x402HTTPClient

    client, _, _ = make_sdk_client()
    http_client = x402HTTPClient(client)
    headers, body, url = recorded_402(seller_url)

    async def once() -> tuple[int, int, int, int]:
        # The steps x402AsyncTransport.handle_async_request takes between the 402 and the retry.
        t0 = time.perf_counter_ns()
        response = httpx.Response(402, headers=headers, content=body)
        await response.aread()
        try:
            parsed_body = response.json()
        except json.JSONDecodeError:
            parsed_body = None
        pr = http_client.get_payment_required_response(response.headers.get, parsed_body)
        hook_headers = await http_client.handle_payment_required(pr, url)
        assert not hook_headers
        t1 = time.perf_counter_ns()
        payload = await client.create_payment_payload(pr)
        t2 = time.perf_counter_ns()
        out = http_client.encode_payment_signature_header(payload)
        t3 = time.perf_counter_ns()
        assert "PAYMENT-SIGNATURE" in out
        return t0, t1, t2, t3

    async def run() -> dict:
        for _ in range(min(50, runs)):  # warm-up: imports, caches, first signatures
            await once()
        total, parse, create, encode = [], [], [], []
        for _ in range(runs):
            t0, t1, t2, t3 = await once()
            total.append(ms(t3 - t0))
            parse.append(ms(t1 - t0))
            create.append(ms(t2 - t1))
            encode.append(ms(t3 - t2))
        return {"median": r3(pct(total, .5)), "p99": r3(pct(total, .99)), "coincurve": coincurve_active(),
                "runs": runs,
                "stages_median_ms": {"parse_402": r3(pct(parse, .5)), "select_and_sign": r3(pct(create, .5)),
                                     "encode_header": r3(pct(encode, .5))}}

    return asyncio.run(run())


def client_work_as_shipped(runs: int, seller_url: str | None) -> dict:
    """The same measurement as the SDK is installed by default (`pip install x402[evm]` does not pull
    coincurve): eth-keys is pinned to its pure-Python backend with ECC_BACKEND_CLASS in a child."""
    env = dict(os.environ, ECC_BACKEND_CLASS="eth_keys.backends.native.NativeECCBackend")
    cmd = [PY, str(Path(__file__).resolve()), "--client-work-only", "--runs", str(runs)]
    if seller_url:
        cmd += ["--seller-url", seller_url]
    try:
        out = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, timeout=600, check=True).stdout
        return json.loads(out.decode().strip().splitlines()[-1])
    except Exception as e:  # noqa: BLE001
        return {"error": str(e)}


# ---------------------------------------------------------------------------------------------
# b. Official SDK httpx client end to end against the fast seller, and the floor

def bench_sdk_e2e(runs: int, seller_url: str) -> dict:
    from x402.http.clients import x402HttpxClient

    client, _, _ = make_sdk_client()

    async def run() -> dict:
        paid, floor, verify = [], [], []
        async with x402HttpxClient(client, timeout=30) as http:
            for i in range(runs + 10):  # 10 warm-up rounds
                t0 = time.perf_counter_ns()
                a = await http.get(seller_url + "/plain")
                b = await http.get(seller_url + "/plain")
                t1 = time.perf_counter_ns()
                r = await http.get(seller_url + "/paid")
                t2 = time.perf_counter_ns()
                if a.status_code != 200 or b.status_code != 200:
                    raise RuntimeError(f"/plain answered {a.status_code}/{b.status_code}")
                if r.status_code != 200 or "payment-response" not in r.headers:
                    raise RuntimeError(f"the fast seller did not grant: {r.status_code} {r.headers}")
                if i < 10:
                    continue
                floor.append(ms(t1 - t0))
                paid.append(ms(t2 - t1))
                if "x-verify-micros" in r.headers:
                    verify.append(int(r.headers["x-verify-micros"]) / 1000)
        return {
            "sdk_e2e_ms": {"median": r3(pct(paid, .5)), "p99": r3(pct(paid, .99)), "runs": runs},
            "floor_two_rtt_ms": {"median": r3(pct(floor, .5)), "p99": r3(pct(floor, .99))},
            "seller_verify_ms": {"median": r3(pct(verify, .5))},
        }

    return asyncio.run(run())


# ---------------------------------------------------------------------------------------------
# c. MCP: spawn → initialize reply, idle RSS

def vm_rss_mib(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def spawn_initialize(cmd: list[str], env: dict[str, str], cwd: str, stderr_path: str,
                     idle_s: float = 1.0, timeout_s: float = 30.0, request: dict = INIT_REQUEST,
                     followup: dict | None = INITIALIZED) -> tuple[float, float | None]:
    """Spawns `cmd`, writes `request` (`initialize` by default), times until its reply line; then
    `followup` (`initialized`), waits `idle_s` and reads VmRSS. Returns (ms, MiB)."""
    line = (json.dumps(request, separators=(",", ":")) + "\n").encode()
    with open(stderr_path, "ab") as err:
        proc = None
        try:
            t0 = time.perf_counter_ns()
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, env=env,
                                    cwd=cwd, bufsize=0)
            proc.stdin.write(line)
            proc.stdin.flush()
            deadline = time.monotonic() + timeout_s
            buf = bytearray()
            while True:
                reply = _read_line(proc.stdout, deadline, buf)
                if reply is None:
                    err.flush()
                    raise RuntimeError(f"{cmd[0]}: no initialize reply within {timeout_s:.0f} s "
                                       f"(exit {proc.poll()}); stderr ends: {_tail(stderr_path)!r}")
                try:
                    msg = json.loads(reply)
                except json.JSONDecodeError:
                    continue  # not a JSON-RPC frame (should not happen on stdout)
                if isinstance(msg, dict) and msg.get("id") == 1:
                    break
            t1 = time.perf_counter_ns()
            if "result" not in msg:
                raise RuntimeError(f"{cmd[0]}: initialize failed: {msg}")
            if followup is not None:
                proc.stdin.write((json.dumps(followup) + "\n").encode())
                proc.stdin.flush()
            time.sleep(idle_s)
            rss = vm_rss_mib(proc.pid)
            return ms(t1 - t0), rss
        finally:
            stop_process(proc)


def _tail(path: str, n: int = 600) -> str:
    try:
        with open(path, "rb") as f:
            return f.read()[-n:].decode(errors="replace")
    except OSError:
        return ""


def measure_mcp(name: str, cmd: list[str], env: dict[str, str], cwd: str, runs: int, workdir: str,
                **first: Any) -> dict:
    stderr_path = os.path.join(workdir, f"{name}.stderr.log")
    spawn_initialize(cmd, env, cwd, stderr_path, **first)  # warm-up: page cache, .pyc files, a fresh ledger
    inits, rss = [], []
    for i in range(runs):
        t, m = spawn_initialize(cmd, env, cwd, stderr_path, **first)
        inits.append(t)
        if m is not None:
            rss.append(m)
        log(f"  {name} spawn {i + 1}/{runs}: initialize {t:.1f} ms, RSS {m} MiB")
    return {"init_ms_median": r3(pct(inits, .5)), "init_ms_p99": r3(pct(inits, .99)),
            "rss_mib": pct(rss, .5) if rss else None, "runs": runs}


def drop_from_page_cache(path: str) -> None:
    """Drops a file's pages from the page cache (POSIX_FADV_DONTNEED), so that the next start
    reads it as an installed binary is read. A binary the linker has just written sits in the
    page cache in large blocks, and a page fault maps the whole block around it (Linux 6.x large
    folios): the same process then shows 1-2 MiB more resident than after a cold start, which
    reads only around its faults. The warm-up spawn after this reads it back the cold way."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def base_env(home: str) -> dict[str, str]:
    return {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}


def bench_mcp(runs: int, purse: str | None, workdir: str, big_ledger: str | None = None) -> dict:
    home = os.path.join(workdir, "home")
    os.makedirs(home, exist_ok=True)
    key = "0x" + secrets.token_hex(32)
    out: dict[str, Any] = {}

    # (i) purse serve
    if purse and os.access(purse, os.X_OK):
        cfg = os.path.join(workdir, "purse-config.json")
        with open(cfg, "w") as f:
            json.dump({"networks": {NETWORK: {"rpcUrl": "http://127.0.0.1:9", "assets": [
                {"address": TOKEN, "name": "USDC", "version": "2", "decimals": 6, "symbol": "USDC"}]}},
                "policy": {"maxPerRequest": "0.10", "sessionBudget": "1.00", "dailyBudget": "5.00",
                           "allowNetworks": [NETWORK]}}, f)
        env = base_env(home) | {"PURSE_PRIVATE_KEY": key}
        cmd = [purse, "serve", "--config", cfg, "--db", os.path.join(workdir, "purse.db"), "--no-reconcile"]
        log(f"mcp: purse serve ({purse})")
        try:
            drop_from_page_cache(purse)
            out["purse"] = measure_mcp("purse", cmd, env, workdir, runs, workdir) | {"binary": purse}
        except Exception as e:  # noqa: BLE001
            out["purse"] = {"error": str(e)}
            log(f"mcp: purse failed: {e}")
        if big_ledger:
            # Start-up as the ledger grows: the same spawn on a copy of a 100,000-row ledger.
            big = os.path.join(workdir, "big.db")
            shutil.copyfile(big_ledger, big)
            big_cmd = cmd[:cmd.index("--db") + 1] + [big] + cmd[cmd.index("--db") + 2:]
            log(f"mcp: purse serve on a large ledger ({os.path.getsize(big) / 1048576:.0f} MiB)")
            try:
                out["purse_big_ledger"] = measure_mcp("purse-big", big_cmd, env, workdir, runs, workdir) | {
                    "bytes": os.path.getsize(big_ledger)}
            except Exception as e:  # noqa: BLE001
                out["purse_big_ledger"] = {"error": str(e)}
                log(f"mcp: purse on the large ledger failed: {e}")
        log(f"mcp: purse serve, 2026-07-28 (spawn → server/discover)")
        try:
            out["purse_stateless"] = measure_mcp("purse-stateless", cmd, env, workdir, runs, workdir,
                                                 request=DISCOVER_REQUEST, followup=None) | {"binary": purse}
        except Exception as e:  # noqa: BLE001
            out["purse_stateless"] = {"error": str(e)}
            log(f"mcp: purse (2026-07-28) failed: {e}")
    else:
        out["purse"] = {"error": f"no purse binary at {purse!r} (pass --purse PATH)"}
        log(out["purse"]["error"])

    # (ii) the PyPI x402-mcp server, offline: its FastMCP banner would ask PyPI for a newer FastMCP
    # before serving (2 s timeout); its best configuration turns the banner and the check off.
    x402_mcp = shutil.which("x402-mcp", path=os.path.dirname(PY))
    if x402_mcp:
        env = base_env(home) | {"EVM_PRIVATE_KEY": key, "FASTMCP_CHECK_FOR_UPDATES": "off",
                                "FASTMCP_SHOW_SERVER_BANNER": "false"}
        log("mcp: x402-mcp (PyPI)")
        try:
            out["python_peer"] = {"name": "x402-mcp " + _dist_version("x402-mcp") + " (PyPI, FastMCP "
                                  + _dist_version("fastmcp") + "; banner and update check off)"} \
                | measure_mcp("x402-mcp", [x402_mcp], env, workdir, runs, workdir)
        except Exception as e:  # noqa: BLE001
            out["python_peer"] = {"name": "x402-mcp", "error": str(e)}
            log(f"mcp: x402-mcp failed: {e}")

    # (iii) a minimal server on the official mcp + x402 SDKs: wallet set up before serving (as
    # purse serve does), and lazily on the first tool call
    for lazy in (False, True):
        env = base_env(home) | {"PEER_PRIVATE_KEY": key, "PEER_LAZY": "1" if lazy else "0"}
        label = "py_mcp_peer" + ("_lazy" if lazy else "")
        key_name = "python_sdk_peer" + ("_lazy" if lazy else "")
        if key_name == "python_sdk_peer" and "python_peer" not in out:
            key_name = "python_peer"
        name = ("bench/py_mcp_peer.py (mcp " + _dist_version("mcp") + " MCPServer + x402 " + _dist_version("x402")
                + (", wallet set up on first call)" if lazy else ", wallet set up before serving)"))
        log(f"mcp: {name}")
        try:
            out[key_name] = {"name": name} | measure_mcp(label, [PY, str(HERE / "py_mcp_peer.py")], env, workdir,
                                                          runs, workdir)
        except Exception as e:  # noqa: BLE001
            out[key_name] = {"name": name, "error": str(e)}
            log(f"mcp: {label} failed: {e}")
    return out


def _paid_serve_args(purse: str, workdir: str, db_name: str) -> tuple[list[str], dict[str, str]]:
    """`purse serve` set up to pay the fast seller: its config, ledger and a fresh key."""
    home = os.path.join(workdir, "home-paid")
    os.makedirs(home, exist_ok=True)
    cfg = os.path.join(workdir, "purse-paid-config.json")
    with open(cfg, "w") as f:
        json.dump({"networks": {NETWORK: {"rpcUrl": "http://127.0.0.1:9", "assets": [
            {"address": TOKEN, "name": "USDC", "version": "2", "decimals": 6, "symbol": "USDC"}]}},
            "policy": {"maxPerRequest": "0.10", "sessionBudget": "1000000", "dailyBudget": "1000000",
                       "allowNetworks": [NETWORK]}}, f)
    env = base_env(home) | {"PURSE_PRIVATE_KEY": "0x" + secrets.token_hex(32)}
    return [purse, "serve", "--config", cfg, "--db", os.path.join(workdir, db_name), "--no-reconcile"], env


def _check_paid(structured: Any, what: str) -> None:
    if '"paid"' not in json.dumps(structured or {}):
        raise RuntimeError(f"paid_fetch did not pay ({what}): {json.dumps(structured)[:400]}")


def bench_mcp_paid(purse: str | None, seller_url: str, runs: int, workdir: str) -> dict:
    """A warm `paid_fetch` through `purse serve`, driven by the official Python MCP client
    (stdio_client + ClientSession), against the fast seller; and `ping` through the same client
    and pipes, the round trip any tool call costs before Purse does anything. Then the same two
    calls from a minimal client (JSON lines on buffered pipes, no validation): what the server and
    the pipes cost, without the official client's own work."""
    if not (purse and os.access(purse, os.X_OK)):
        return {"error": f"no purse binary at {purse!r} (pass --purse PATH)"}
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    cmd, env = _paid_serve_args(purse, workdir, "paid.db")
    params = StdioServerParameters(command=cmd[0], args=cmd[1:], env=env, cwd=workdir)

    async def run() -> dict:
        paid, ping = [], []
        rss_after_ten = None
        drop_from_page_cache(purse)  # as for idle RSS: the binary read the cold way
        with open(os.path.join(workdir, "purse-paid.stderr.log"), "w") as err:
            async with stdio_client(params, errlog=err) as (read, write):
                async with ClientSession(read, write) as s:
                    await s.initialize()
                    for i in range(runs + 10):  # 10 warm-up rounds
                        t0 = time.perf_counter_ns()
                        await s.send_ping()
                        t1 = time.perf_counter_ns()
                        r = await s.call_tool("paid_fetch", {"url": seller_url + "/paid"})
                        t2 = time.perf_counter_ns()
                        d = r.model_dump(mode="json", by_alias=True, exclude_none=True)
                        if d.get("isError"):
                            raise RuntimeError(f"paid_fetch failed: {json.dumps(d)[:400]}")
                        _check_paid(d.get("structuredContent"), "official client")
                        if i == 9:
                            # Read once the server is quiet again, as idle RSS is read 1 s after
                            # `initialize`: a server gives the heap a burst freed back when
                            # it goes quiet (HeapTrim).
                            await asyncio.sleep(1.0)
                            rss_after_ten = _child_rss_mib(purse)
                        if i >= 10:
                            ping.append(ms(t1 - t0))
                            paid.append(ms(t2 - t1))
        return {"paid_fetch_ms": {"median": r3(pct(paid, .5)), "p99": r3(pct(paid, .99)), "runs": runs},
                "ping_ms": {"median": r3(pct(ping, .5)), "p99": r3(pct(ping, .99))},
                "rss_mib_after_10_paid": rss_after_ten}

    out = asyncio.run(run())
    out["minimal_client"] = _paid_minimal_client(purse, seller_url, runs, workdir)
    return out


def _paid_minimal_client(purse: str, seller_url: str, runs: int, workdir: str) -> dict:
    """`ping` and a warm `paid_fetch` from the least a client can do: one JSON line written, lines
    read from a buffered pipe until the reply's id, `json.loads` on each. Every read is bounded by
    a deadline; the server is stopped (stdin closed, then killed if it lingers)."""
    cmd, env = _paid_serve_args(purse, workdir, "paid-minimal.db")
    with open(os.path.join(workdir, "purse-paid-minimal.stderr.log"), "w") as err:
        proc = subprocess.Popen(cmd, env=env, cwd=workdir, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    buf = bytearray()

    def line(deadline: float) -> dict:
        while True:
            nl = buf.find(b"\n")
            if nl >= 0:
                text = bytes(buf[:nl])
                del buf[:nl + 1]
                return json.loads(text)
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                raise RuntimeError("purse serve did not answer in time (minimal client)")
            chunk = os.read(proc.stdout.fileno(), 1 << 16)
            if not chunk:
                raise RuntimeError("purse serve closed stdout (minimal client)")
            buf.extend(chunk)

    def call(message: dict) -> dict:
        proc.stdin.write((json.dumps(message) + "\n").encode())
        proc.stdin.flush()
        deadline = time.monotonic() + 30
        while True:  # notifications (the payment's log line) come first; bounded by the deadline
            m = line(deadline)
            if m.get("id") == message["id"]:
                return m

    paid, ping = [], []
    try:
        call({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench-minimal", "version": "1"}}})
        proc.stdin.write(b'{"jsonrpc": "2.0", "method": "notifications/initialized"}\n')
        for i in range(runs + 10):
            t0 = time.perf_counter_ns()
            call({"jsonrpc": "2.0", "id": f"ping-{i}", "method": "ping"})
            t1 = time.perf_counter_ns()
            r = call({"jsonrpc": "2.0", "id": i + 1, "method": "tools/call",
                      "params": {"name": "paid_fetch", "arguments": {"url": seller_url + "/paid"}}})
            t2 = time.perf_counter_ns()
            if "result" not in r or r["result"].get("isError"):
                raise RuntimeError(f"paid_fetch failed (minimal client): {json.dumps(r)[:400]}")
            _check_paid(r["result"].get("structuredContent"), "minimal client")
            if i >= 10:
                ping.append(ms(t1 - t0))
                paid.append(ms(t2 - t1))
    finally:
        sel.close()
        proc.stdin.close()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    return {"paid_fetch_ms": {"median": r3(pct(paid, .5)), "p99": r3(pct(paid, .99))},
            "ping_ms": {"median": r3(pct(ping, .5)), "p99": r3(pct(ping, .99))}}


def _child_rss_mib(binary: str) -> float | None:
    """VmRSS of this process's child running `binary` (the server stdio_client started)."""
    me = os.getpid()
    kids: list[int] = []
    for task in os.listdir(f"/proc/{me}/task"):
        try:
            with open(f"/proc/{me}/task/{task}/children") as f:
                kids += [int(x) for x in f.read().split()]
        except OSError:
            continue
    for pid in kids:
        try:
            if os.path.realpath(f"/proc/{pid}/exe") == os.path.realpath(binary):
                return vm_rss_mib(pid)
        except OSError:
            continue
    return None


def _dist_version(name: str) -> str:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:  # noqa: BLE001
        return "?"


# ---------------------------------------------------------------------------------------------
# d. Python sqlite3 reservations under contention

SQL_SCHEMA = """
CREATE TABLE IF NOT EXISTS payments (
  id INTEGER PRIMARY KEY, session TEXT NOT NULL, url TEXT NOT NULL, nonce TEXT NOT NULL,
  amount INTEGER NOT NULL, state TEXT NOT NULL, created_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS payments_created ON payments(created_at);
"""


def _open_db(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, timeout=30.0)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA busy_timeout=30000")
    return db


def sqlite_worker(path: str, attempts: int, limit: int, amount: int = 10) -> None:
    db = _open_db(path)
    session = secrets.token_hex(8)
    ok = refused = errors = 0
    lat: list[float] = []
    day_start = time.time() - 86400
    for i in range(attempts):
        t = time.perf_counter_ns()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                (spent,) = db.execute("SELECT COALESCE(SUM(amount), 0) FROM payments WHERE created_at >= ?",
                                      (day_start,)).fetchone()
                if spent + amount > limit:
                    db.execute("ROLLBACK")
                    refused += 1
                else:
                    db.execute("INSERT INTO payments(session, url, nonce, amount, state, created_at) "
                               "VALUES (?, ?, ?, ?, 'reserved', ?)",
                               (session, "http://bench/", f"{session}-{i}", amount, time.time()))
                    db.execute("COMMIT")
                    ok += 1
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.Error:
            errors += 1
        lat.append(ms(time.perf_counter_ns() - t))
    db.close()
    print(json.dumps({"ok": ok, "refused": refused, "errors": errors, "worst_ms": r3(max(lat)),
                      "median_ms": r3(pct(lat, .5))}), flush=True)


def sqlite_round(procs: int, attempts: int, workdir: str, amount: int = 10) -> dict:
    d = tempfile.mkdtemp(prefix="sqlite-", dir=workdir)
    path = os.path.join(d, "l.db")
    db = _open_db(path)
    db.executescript(SQL_SCHEMA)
    db.close()
    limit = procs * attempts * amount * 9 // 10  # admits 90 % of the attempts, as LedgerBench does
    t0 = time.perf_counter_ns()
    children: list[subprocess.Popen] = []
    results = []
    try:
        for _ in range(procs):
            children.append(subprocess.Popen([PY, str(Path(__file__).resolve()), "--sqlite-worker", path,
                                              str(attempts), str(limit)], stdout=subprocess.PIPE))
        for c in children:
            out, _ = c.communicate(timeout=600)
            results.append(json.loads(out.decode().strip().splitlines()[-1]))
    finally:
        for c in children:
            if c.poll() is None:
                c.kill()
                c.wait(timeout=10)
    wall = (time.perf_counter_ns() - t0) / 1e9
    db = _open_db(path)
    (total,) = db.execute("SELECT COALESCE(SUM(amount), 0) FROM payments").fetchone()
    db.close()
    ok = sum(r["ok"] for r in results)
    return {"attempts": procs * attempts, "reserved": ok, "refused": sum(r["refused"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "attempts_per_s": round(procs * attempts / wall), "reservations_per_s": round(ok / wall),
            "median_ms": r3(pct([r["median_ms"] for r in results], .5)),
            "worst_wait_ms": r3(max(r["worst_ms"] for r in results)),
            "overspends": max(0, total - limit) // amount}


def bench_sqlite(attempts: int, workdir: str) -> dict:
    out = {"sqlite": sqlite3.sqlite_version}
    for p in (1, 4):
        log(f"py_sqlite: {p} process(es) × {attempts} reservations")
        out[f"{p}_process" + ("" if p == 1 else "es")] = sqlite_round(p, attempts, workdir)
    return out


# ---------------------------------------------------------------------------------------------

ITEMS = ("client", "e2e", "mcp", "mcp-paid", "sqlite")


def default_purse() -> str | None:
    for p in (REPO / ".build" / "release" / "purse", REPO / ".build" / "debug" / "purse"):
        if p.exists():
            return str(p)
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--sqlite-worker"]:
        sqlite_worker(argv[1], int(argv[2]), int(argv[3]))
        return 0
    ap = argparse.ArgumentParser(description="Measure the Python peers; JSON on stdout.")
    ap.add_argument("--runs", type=int, default=200, help="per-request items (default 200)")
    ap.add_argument("--spawn-runs", type=int, default=10, help="MCP spawns per server (default 10)")
    ap.add_argument("--purse", default=None, help="the purse binary (default .build/release/purse)")
    ap.add_argument("--seller-url", default=None, help="a running fast seller (default: start one)")
    ap.add_argument("--only", default=",".join(ITEMS), help=f"comma-separated subset of {','.join(ITEMS)}")
    ap.add_argument("--no-as-shipped", action="store_true",
                    help="skip the SDK client work without coincurve (a child process)")
    ap.add_argument("--client-work-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--big-ledger", default=None,
                    help="a large ledger (purse-bench fill-ledger) to time purse serve's start-up on too")
    ap.add_argument("--sqlite-attempts", type=int, default=500, help="reservations per process (default 500)")
    args = ap.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    if not only <= set(ITEMS):
        ap.error(f"--only: unknown {sorted(only - set(ITEMS))}")
    runs = max(1, min(args.runs, 100_000))
    spawn_runs = max(1, min(args.spawn_runs, 1000))
    purse = os.path.abspath(args.purse) if args.purse else default_purse()
    if args.client_work_only:  # the child of client_work_as_shipped
        print(json.dumps(bench_sdk_client_work(runs, args.seller_url)))
        return 0

    result: dict[str, Any] = {"python": sys.version.split()[0], "runs": runs, "spawn_runs": spawn_runs}
    workdir = tempfile.mkdtemp(prefix="purse-peers-")
    seller: SellerProcess | None = None
    try:
        seller_url = args.seller_url
        if seller_url is None and only & {"client", "e2e", "mcp-paid"}:
            seller = SellerProcess().__enter__()
            seller_url = seller.url
            log(f"fast seller at {seller_url}")
        if "client" in only:
            log(f"sdk client work: {runs} runs in-process")
            result["sdk_client_work_ms"] = bench_sdk_client_work(runs, seller_url)
            if not args.no_as_shipped:
                log("sdk client work as shipped (pure-Python eth-keys backend, no coincurve), in a child")
                result["sdk_client_work_ms_as_shipped"] = client_work_as_shipped(runs, seller_url)
        if "e2e" in only:
            log(f"sdk e2e: {runs} paid requests against {seller_url}")
            result.update(bench_sdk_e2e(runs, seller_url))
        if "mcp" in only:
            result["mcp"] = bench_mcp(spawn_runs, purse, workdir, args.big_ledger)
        if "mcp-paid" in only:
            log(f"mcp: {runs} warm paid_fetch calls through purse serve (official Python client)")
            try:
                result["mcp_paid"] = bench_mcp_paid(purse, seller_url, runs, workdir)
            except Exception as e:  # noqa: BLE001
                result["mcp_paid"] = {"error": str(e)}
                log(f"mcp-paid failed: {e}")
        if "sqlite" in only:
            result["py_sqlite"] = bench_sqlite(max(1, min(args.sqlite_attempts, 100_000)), workdir)
    finally:
        if seller is not None:
            seller.__exit__(None, None, None)
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
