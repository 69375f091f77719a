"""Helpers for the MCP-serve, hostile-server and key-hygiene end-to-end tests.

Everything here talks to a real `purse` binary and a running offline world (see conftest.py):
fresh funded keys, config files, CLI runs, a raw JSON-RPC client for `purse serve`, and direct
read-only access to the ledger's SQLite file.
"""

from __future__ import annotations

import json
import os
import queue
import sqlite3
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from eth_account import Account

from worldlib import mint

POLICY = {"maxPerRequest": "0.10", "sessionBudget": "1.00", "dailyBudget": "5.00", "confirmAbove": "0.05",
          "allowNetworks": ["eip155:84532"]}

# Every process output captured by run_purse / RawServe, for the key-hygiene grep.
CAPTURED: list[tuple[str, str]] = []


def capture(label: str, text: str | bytes | None) -> None:
    if text is None:
        return
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    CAPTURED.append((label, text))


def hexkey(k: Any) -> str:
    h = k.hex() if hasattr(k, "hex") else str(k)
    return "0x" + h.removeprefix("0x").lower()


def new_key(world: dict | None = None, fund_atomic: int = 10_000_000) -> tuple[str, str]:
    """A fresh random key (0x-hex) and its checksummed address, minted `fund_atomic` tokens."""
    acct = Account.create()
    if world is not None and fund_atomic:
        mint(world, acct.address, fund_atomic)
    return hexkey(acct.key), acct.address


def asset(world: dict) -> dict:
    return {"address": world["token"], "name": world["tokenName"], "version": world["tokenVersion"],
            "decimals": world["decimals"], "symbol": "USDC"}


def config_dict(world: dict, *, policy: dict | None = None, http: dict | None = None, payment: dict | None = None,
                key: dict | None = None) -> dict:
    cfg: dict[str, Any] = {
        "networks": {world["network"]: {"rpcUrl": world["rpcUrl"], "assets": [asset(world)]}},
        "policy": {**POLICY, **(policy or {})},
        "http": {"timeoutMs": 3000, **(http or {})},
        "payment": {"approvalTimeoutSeconds": 5, **(payment or {})},
    }
    if key is not None:
        cfg["key"] = key
    return cfg


def write_config(path: Path, world: dict, **kw) -> Path:
    path.write_text(json.dumps(config_dict(world, **kw), indent=2))
    return path


def base_env(home: Path, key: str | None = None, **extra: str) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local" / "share")}
    if key is not None:
        env["PURSE_PRIVATE_KEY"] = key
    env.update(extra)
    return env


class Run:
    def __init__(self, args: list[str], rc: int, stdout: str, stderr: str, seconds: float):
        self.args, self.rc, self.stdout, self.stderr, self.seconds = args, rc, stdout, stderr, seconds

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return (f"$ {' '.join(self.args)}\n  exit {self.rc} in {self.seconds:.2f} s\n  stdout: {self.stdout[:1500]!r}\n"
                f"  stderr: {self.stderr[:1500]!r}")


def run_purse(purse_bin: Path | str, args: list[str], env: dict[str, str], *, config: Path | None = None,
              db: Path | None = None, timeout: float = 60, stdin: str | None = None) -> Run:
    cmd = [str(purse_bin), *args]
    if config is not None:
        cmd += ["--config", str(config)]
    if db is not None:
        cmd += ["--db", str(db)]
    t = time.monotonic()
    p = subprocess.run(cmd, env=env, capture_output=True, timeout=timeout,
                       input=(stdin.encode() if stdin is not None else None),
                       stdin=(None if stdin is not None else subprocess.DEVNULL))
    out, err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    capture(f"{' '.join(args[:2])} stdout", out)
    capture(f"{' '.join(args[:2])} stderr", err)
    return Run(cmd, p.returncode, out, err, time.monotonic() - t)


def ledger_rows(db: Path) -> list[dict]:
    """Every payment row, straight from SQLite (read-only)."""
    if not Path(db).exists():
        return []
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        con.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in con.execute("SELECT * FROM payment ORDER BY id")]
        except sqlite3.OperationalError as e:
            if "no such table" in str(e):
                return []
            raise
    finally:
        con.close()


def find_dicts(obj: Any, key: str) -> list[dict]:
    """Every dict anywhere inside `obj` that has `key` (for output shapes we only partly pin)."""
    found: list[dict] = []
    if isinstance(obj, dict):
        if key in obj:
            found.append(obj)
        for v in obj.values():
            found += find_dicts(v, key)
    elif isinstance(obj, list):
        for v in obj:
            found += find_dicts(v, key)
    return found


def spend_log_payments(purse_bin, env, config, db) -> list[dict]:
    """Payments as `purse spend-log --format json` shows them (dicts that carry a ledger status)."""
    r = run_purse(purse_bin, ["spend-log", "--format", "json"], env, config=config, db=db)
    assert r.rc == 0, r
    data = r.json()
    pays = data.get("payments") if isinstance(data, dict) else None
    if isinstance(pays, list):
        return pays
    return [d for d in find_dicts(data, "status")
            if d.get("status") in ("reserved", "sent", "settled", "failed", "unknown")]


def is_jsonrpc(line: bytes | str) -> dict:
    msg = json.loads(line)
    assert isinstance(msg, dict) and msg.get("jsonrpc") == "2.0", f"not a JSON-RPC message: {str(line)[:200]}"
    return msg


class RawServe:
    """`purse serve` as a raw subprocess speaking newline-delimited JSON-RPC."""

    def __init__(self, purse_bin, env, config: Path, db: Path, *, reader: bool = True):
        self.cmd = [str(purse_bin), "serve", "--config", str(config), "--db", str(db)]
        self.proc = subprocess.Popen(self.cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, bufsize=0)
        self.lines: list[bytes] = []
        self.replies: dict[Any, dict] = {}
        self.requests: list[dict] = []       # server → client requests (elicitation/create, …)
        self.notifications: list[dict] = []
        self.q: queue.Queue = queue.Queue()
        self.stderr_chunks: list[bytes] = []
        self._err = threading.Thread(target=self._drain_err, daemon=True)
        self._err.start()
        self._out = None
        if reader:
            self._out = threading.Thread(target=self._drain_out, daemon=True)
            self._out.start()

    def _drain_err(self):
        for chunk in iter(lambda: self.proc.stderr.read(65536), b""):
            self.stderr_chunks.append(chunk)

    def _drain_out(self):
        buf = b""
        for chunk in iter(lambda: self.proc.stdout.read(65536), b""):
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                self.lines.append(line)
                self.q.put(line)
        if buf:
            self.lines.append(buf)
            self.q.put(buf)
        self.q.put(None)

    @property
    def stderr(self) -> str:
        return b"".join(self.stderr_chunks).decode("utf-8", "replace")

    def _file(self, msg: dict) -> None:
        if "id" in msg and ("result" in msg or "error" in msg):
            self.replies[msg["id"]] = msg
        elif "method" in msg and "id" in msg:
            self.requests.append(msg)
        elif "method" in msg:
            self.notifications.append(msg)

    def pump(self, until, timeout: float = 30) -> None:
        """Reads messages until `until()` is true."""
        deadline = time.monotonic() + timeout
        while not until():
            if time.monotonic() > deadline:
                raise TimeoutError("condition not met in time")
            try:
                line = self.q.get(timeout=0.05)
            except queue.Empty:
                continue
            if line is None:
                raise EOFError(f"stdout closed; stderr: {self.stderr[-2000:]}")
            self._file(is_jsonrpc(line))

    def drain_queue(self) -> None:
        while True:
            try:
                line = self.q.get_nowait()
            except queue.Empty:
                return
            if line is not None:
                self._file(is_jsonrpc(line))

    def send(self, msg: dict) -> None:
        self.proc.stdin.write((json.dumps(msg) + "\n").encode())
        self.proc.stdin.flush()

    def initialize(self, version: str = "2025-06-18", capabilities: dict | None = None) -> dict:
        self.send({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                   "params": {"protocolVersion": version, "capabilities": capabilities or {},
                              "clientInfo": {"name": "raw-test", "version": "1"}}})
        reply = self.wait_for(0)
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return reply

    def wait_for(self, msg_id: Any, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if msg_id in self.replies:
                return self.replies[msg_id]
            try:
                line = self.q.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                raise EOFError(f"stdout closed before reply {msg_id}; stderr: {self.stderr[-2000:]}")
            self._file(is_jsonrpc(line))
        if msg_id in self.replies:
            return self.replies[msg_id]
        raise TimeoutError(f"no reply {msg_id} in {timeout} s")

    def close_stdin(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass

    def finish(self, timeout: float = 15) -> tuple[int, float]:
        """Close stdin, wait for exit; returns (exit code, seconds)."""
        t = time.monotonic()
        self.close_stdin()
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
            raise AssertionError(f"purse serve did not exit within {timeout} s of stdin EOF")
        if self._out:
            self._out.join(5)
            self.drain_queue()
        self._err.join(5)
        capture("serve raw stdout", b"\n".join(self.lines))
        capture("serve raw stderr", self.stderr)
        return rc, time.monotonic() - t

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def tool_call(msg_id: int, name: str, args: dict) -> dict:
    return {"jsonrpc": "2.0", "id": msg_id, "method": "tools/call", "params": {"name": name, "arguments": args}}


def tool_result_json(reply: dict) -> tuple[bool, Any]:
    """(isError, structuredContent or the JSON text block) from a raw tools/call reply."""
    res = reply["result"]
    if res.get("structuredContent") is not None:
        return bool(res.get("isError")), res["structuredContent"]
    for block in res.get("content", []):
        if block.get("type") == "text":
            try:
                return bool(res.get("isError")), json.loads(block["text"])
            except ValueError:
                continue
    return bool(res.get("isError")), None
