"""The one helper module of the end-to-end tests (it replaces purse_helpers.py and
support/purse_e2e.py, which overlapped: two Run types, two key makers, two config builders, two
subprocess runners, three "JSON of a tool result" functions).

Everything here talks to a real `purse` binary and a running offline world (conftest.py starts it):

    key, address = new_key(world, 10_000_000)            # fresh throw-away key, minted and checked
    cfg = write_config(tmp / "config.json", world)         # serve-style config (confirmAbove 0.05 …)
    r = run_purse(purse_bin, ["fetch", url, "--json"], base_env(tmp, key), config=cfg, db=db)
    r.rc, r.data, r.stderr                                 # a Run

    p = PurseCLI(purse_bin, world, tmp_path)               # one test's purse: key, config, database
    r = p.fetch(world["sellerUrl"] + "/weather")           # purse fetch --json → Run
    rows = p.payments()                                    # purse spend-log --format json → rows

    srv = RawServe(purse_bin, env, cfg, db)                # `purse serve` over raw JSON-RPC lines

Waiting is always on an event or a bounded poll of a real condition (`wait_until`, the queues in
RawServe), never a blind sleep. Every subprocess has a timeout; every process started here is
stopped here. Ledger rows are read through the `row_*` accessors so that one place knows the
spend-log JSON key names.
"""

from __future__ import annotations

import copy
import json
import os
import queue
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

REPO = Path(__file__).resolve().parents[2]
WORLD_DIR = REPO / "examples" / "local-world"
if str(WORLD_DIR) not in sys.path:
    sys.path.insert(0, str(WORLD_DIR))

from eth_account import Account  # noqa: E402
from worldlib import balance_of, clock_lead, mint  # noqa: E402

DEFAULT_TIMEOUT = float(os.environ.get("PURSE_E2E_TIMEOUT", "60"))
EXIT_OK, EXIT_ERROR, EXIT_REFUSED, EXIT_PAYMENT = 0, 1, 3, 4

# Every process output captured by run_purse / RawServe, for the key-hygiene grep.
CAPTURED: list[tuple[str, str]] = []


def capture(label: str, text: str | bytes | None) -> None:
    if text is None:
        return
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    CAPTURED.append((label, text))


def purse_bin_path() -> Path:
    """The `purse` under test: `PURSE_BIN`, else the debug build."""
    return Path(os.environ.get("PURSE_BIN", REPO / ".build" / "debug" / "purse"))


_FAULT_HOOK = b"PURSE_FAULT_KILL_AT"
_fault_hook_seen: dict[Path, bool] = {}


def has_fault_injection(binary: Path) -> bool:
    """Whether `binary` reads `PURSE_FAULT_KILL_AT` (the crash tests' hook). Debug builds do;
    release builds compile the hook out (`#if DEBUG`), and with it the variable's name, so a
    release `PURSE_BIN` would run the crash tests without crashing and fail them for nothing."""
    if binary not in _fault_hook_seen:
        found, tail = False, b""
        with open(binary, "rb") as f:
            while not found and (chunk := f.read(1 << 22)):
                found = _FAULT_HOOK in tail + chunk
                tail = chunk[-len(_FAULT_HOOK):]
        _fault_hook_seen[binary] = found
    return _fault_hook_seen[binary]


# ---- keys, configs, environments ---------------------------------------------------------------

def hexkey(k: Any) -> str:
    h = k.hex() if hasattr(k, "hex") else str(k)
    return "0x" + h.removeprefix("0x").lower()


def new_key(world: dict | None = None, fund_atomic: int | str = 10_000_000) -> tuple[str, str]:
    """A fresh random key (0x-hex) and its checksummed address; with a world, minted `fund_atomic`
    tokens (the mint's success and the balance are checked)."""
    acct = Account.create()
    if world is not None and int(fund_atomic):
        r = mint(world, acct.address, str(fund_atomic))
        assert int(r["status"], 16) == 1, r
        assert balance_of(world, acct.address) == int(fund_atomic)
    return hexkey(acct.key), acct.address


def asset(world: dict) -> dict:
    """The world's token, as a config `assets` entry."""
    return {"address": world["token"], "name": world["tokenName"], "version": world["tokenVersion"],
            "decimals": world["decimals"], "symbol": "USDC"}


def base_config(world: dict, **policy: Any) -> dict:
    """The config the CLI tests start from: the world's chain and token, a generous testnet policy
    (0.10 per request, 1.00 per session, 5.00 per day), no approval threshold."""
    cfg = {
        "networks": {world["network"]: {"rpcUrl": world["rpcUrl"], "assets": [asset(world)]}},
        "policy": {"maxPerRequest": "0.10", "sessionBudget": "1.00", "dailyBudget": "5.00",
                   "allowNetworks": [world["network"]]},
        "payment": {"validityCeilingSeconds": 300, "maxPaidAttempts": 3},
    }
    cfg["policy"].update(policy)
    return cfg


def config_dict(world: dict, *, policy: dict | None = None, http: dict | None = None, payment: dict | None = None,
                key: dict | None = None) -> dict:
    """`base_config` as the serve, hostile-server and key-hygiene tests use it: payments above
    0.05 need approval (5 s to answer), and HTTP gives up after 3 s."""
    cfg = base_config(world, **{"confirmAbove": "0.05", **(policy or {})})
    cfg["http"] = {"timeoutMs": 3000, **(http or {})}
    cfg["payment"].update({"approvalTimeoutSeconds": 5, **(payment or {})})
    if key is not None:
        cfg["key"] = key
    return cfg


def write_config(path: Path, world: dict, **kw) -> Path:
    """Writes `config_dict(world, **kw)` to `path`."""
    path.write_text(json.dumps(config_dict(world, **kw), indent=2))
    return path


def base_env(home: Path, key: str | None = None, **extra: str) -> dict[str, str]:
    """A minimal environment: PATH, HOME and XDG dirs under `home`, the key if given."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
           "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local" / "share")}
    if key is not None:
        env["PURSE_PRIVATE_KEY"] = key
    env.update(extra)
    return env


# ---- running purse -----------------------------------------------------------------------------

@dataclass
class Run:
    """One finished `purse` run."""
    rc: int
    stdout: str
    stderr: str
    args: list[str]           # the arguments after the binary
    seconds: float = 0.0

    @property
    def data(self) -> Any:
        """stdout parsed as JSON (raises with the whole run when it is not JSON)."""
        try:
            return json.loads(self.stdout)
        except ValueError as e:
            raise AssertionError(f"stdout is not JSON: {self}") from e

    def json(self) -> Any:
        """stdout parsed as JSON (raises ValueError when it is not)."""
        return json.loads(self.stdout)

    def __str__(self) -> str:
        return (f"purse {' '.join(self.args)} → exit {self.rc} in {self.seconds:.2f} s\n--- stdout ---\n"
                f"{self.stdout[:4000]}\n--- stderr ---\n{self.stderr[:4000]}")

    __repr__ = __str__


def run_purse(purse_bin: Path | str, args: list[str], env: dict[str, str], *, config: Path | None = None,
              db: Path | None = None, timeout: float = DEFAULT_TIMEOUT, stdin: str | None = None,
              record: bool = True) -> Run:
    """Runs `purse ARGS [--config C] [--db D]` to completion (stdin closed unless given) and, if
    `record`, keeps its output in CAPTURED for the key-hygiene grep."""
    argv = [str(a) for a in args]
    if config is not None:
        argv += ["--config", str(config)]
    if db is not None:
        argv += ["--db", str(db)]
    t = time.monotonic()
    p = subprocess.run([str(purse_bin), *argv], env=env, capture_output=True, timeout=timeout,
                       encoding="utf-8", errors="replace", input=stdin,
                       stdin=(None if stdin is not None else subprocess.DEVNULL))
    if record:
        capture(f"{' '.join(argv[:2])} stdout", p.stdout)
        capture(f"{' '.join(argv[:2])} stderr", p.stderr)
    return Run(p.returncode, p.stdout, p.stderr, argv, time.monotonic() - t)


class PurseCLI:
    """One test's purse: its own key (fresh and funded unless given), config file and database."""

    def __init__(self, purse_bin: Path, world: dict, tmp: Path, *, config: dict | None = None,
                 key: str | None = None, address: str | None = None, fund: int | str = "100000000"):
        self.bin, self.world, self.tmp = Path(purse_bin), world, Path(tmp)
        self.tmp.mkdir(parents=True, exist_ok=True)
        if key is None:
            self.key, self.address = new_key(world, fund)
        else:
            self.key = key
            self.address = address or Account.from_key(key).address
        self.config_path = self.tmp / "config.json"
        self.db_path = self.tmp / "purse.db"
        self.write_config(config if config is not None else base_config(world))

    def write_config(self, cfg: dict) -> None:
        self.config = copy.deepcopy(cfg)
        self.config_path.write_text(json.dumps(cfg, indent=2))

    def env(self, **extra: str) -> dict[str, str]:
        """This process's environment without PURSE_* variables, plus the key and a private HOME."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PURSE_")}
        env.update({"PURSE_PRIVATE_KEY": self.key, "HOME": str(self.tmp), "XDG_CONFIG_HOME": str(self.tmp / "xdg"),
                    "XDG_DATA_HOME": str(self.tmp / "xdg-data")})
        env.update(extra)
        return env

    def common(self, db: Path | None = None) -> list[str]:
        return ["--config", str(self.config_path), "--db", str(db or self.db_path)]

    def run(self, *args: str, timeout: float = DEFAULT_TIMEOUT, db: Path | None = None, with_common: bool = True,
            env: dict | None = None) -> Run:
        return run_purse(self.bin, [*args, *(self.common(db) if with_common else [])], env or self.env(),
                         timeout=timeout, record=False)

    def popen(self, *args: str, db: Path | None = None, **kw) -> subprocess.Popen:
        argv = [str(self.bin), *[str(a) for a in args], *self.common(db)]
        return subprocess.Popen(argv, env=self.env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, **kw)

    def fetch(self, url: str, *extra: str, json_out: bool = True, timeout: float = DEFAULT_TIMEOUT) -> Run:
        return self.run("fetch", url, *extra, *(["--json"] if json_out else []), timeout=timeout)

    def quote(self, url: str, *extra: str, timeout: float = DEFAULT_TIMEOUT) -> Run:
        return self.run("quote", url, *extra, "--json", timeout=timeout)

    def spend_log(self, fmt: str = "json", *extra: str, db: Path | None = None) -> Run:
        return self.run("spend-log", "--format", fmt, *extra, db=db)

    def spend_log_json(self, *extra: str) -> dict:
        r = self.spend_log("json", *extra)
        assert r.rc == 0, str(r)
        return r.data

    def payments(self, *extra: str) -> list[dict]:
        return payments_of(self.spend_log_json(*extra))

    def reconcile(self, timeout: float = DEFAULT_TIMEOUT) -> Run:
        return self.run("reconcile", timeout=timeout)

    def serve_command(self) -> list[str]:
        return [str(self.bin), "serve", *self.common()]

    def balance(self) -> int:
        return balance_of(self.world, self.address)


# ---- the ledger: SQLite rows and spend-log JSON ---------------------------------------------------

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


def _first(row: dict, *names: str, default: Any = None) -> Any:
    for n in names:
        if n in row and row[n] is not None:
            return row[n]
    return default


def payments_of(doc: dict) -> list[dict]:
    rows = _first(doc, "payments", "rows", default=None)
    assert isinstance(rows, list), f"spend-log JSON has no payments list: {json.dumps(doc)[:2000]}"
    return rows


def spend_log_payments(purse_bin, env, config, db) -> list[dict]:
    """Payments as `purse spend-log --format json` shows them."""
    r = run_purse(purse_bin, ["spend-log", "--format", "json"], env, config=config, db=db)
    assert r.rc == 0, r
    return payments_of(r.data)


def row_status(row: dict) -> str:
    return str(_first(row, "status", "state"))


def row_tx(row: dict) -> str | None:
    tx = _first(row, "txHash", "transaction", "tx", "transactionHash")
    return tx.lower() if isinstance(tx, str) else None


def row_amount_atomic(row: dict) -> int:
    v = _first(row, "amountAtomic", "amountMicros", "atomic", "micros")
    if v is None:
        raise AssertionError(f"payment row has no atomic amount: {row}")
    return int(v)


def row_nonce(row: dict) -> str | None:
    n = _first(row, "nonce", "authorizationNonce")
    return n.lower() if isinstance(n, str) else None


def row_host(row: dict) -> str | None:
    return _first(row, "host")


def settled_rows(rows: list[dict]) -> list[dict]:
    return [r for r in rows if row_status(r) == "settled"]


def chain_tx_hashes(logs: list[dict]) -> set[str]:
    return {lg["transactionHash"].lower() for lg in logs}


def chain_amounts(logs: list[dict]) -> list[int]:
    return sorted(int(lg["data"], 16) for lg in logs)


# ---- MCP tool results ------------------------------------------------------------------------------

def result_json(res: dict) -> Any:
    """A tools/call result's JSON: structuredContent, or (on isError, where Purse omits it) the
    first text block that parses as JSON; None if there is none."""
    if res.get("structuredContent") is not None:
        return res["structuredContent"]
    for block in res.get("content", []):
        if block.get("type") == "text":
            try:
                return json.loads(block["text"])
            except ValueError:
                continue
    return None


def tool_json(res: dict) -> dict:
    """`result_json`, which must exist."""
    data = result_json(res)
    if data is None:
        raise AssertionError(f"no JSON in the tool result: {res}")
    return data


def tool_result_json(reply: dict) -> tuple[bool, Any]:
    """(isError, the result's JSON) from a raw tools/call reply."""
    res = reply["result"]
    return bool(res.get("isError")), result_json(res)


def tool_call(msg_id: int, name: str, args: dict) -> dict:
    return {"jsonrpc": "2.0", "id": msg_id, "method": "tools/call", "params": {"name": name, "arguments": args}}


# ---- raw JSON-RPC to `purse serve` -------------------------------------------------------------------

def is_jsonrpc(line: bytes | str) -> dict:
    msg = json.loads(line)
    assert isinstance(msg, dict) and msg.get("jsonrpc") == "2.0", f"not a JSON-RPC message: {str(line)[:200]}"
    return msg


class RawServe:
    """`purse serve` as a raw subprocess speaking newline-delimited JSON-RPC.

    A reader thread queues every stdout line; `pump` and `wait_for` block on that queue (events),
    with a deadline."""

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

    def pump(self, until: Callable[[], Any], timeout: float = 30) -> None:
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


# ---- waiting and cleaning up -------------------------------------------------------------------

def wait_until(pred, timeout: float, interval: float = 0.05, what: str = "condition"):
    """Polls `pred` until it returns something truthy (which is returned), at most `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not met after {timeout} s")
        time.sleep(interval)


def stop_process(proc: subprocess.Popen, timeout: float = 5.0) -> None:
    """Stop one process we started (TERM, then KILL) and reap it."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)


def settle_clock(world: dict, target: float = 3.0, limit: float = 90.0) -> None:
    """Leave the shared world as found: a burst of settlements pushes the chain clock ahead of wall
    time (one block per second at least), which breaks later tests that sign short windows. The
    lead decays in real time while the chain is idle; this polls it until it is small again."""
    lead0 = clock_lead(world)
    try:
        wait_until(lambda: clock_lead(world) <= target, limit, 0.5, "the chain clock's lead decaying")
    except TimeoutError:
        pass  # reported below; later tests cope with a lead, they only sign longer windows
    print(f"chain clock lead {lead0:.1f} s → {clock_lead(world):.1f} s")


# ---- fixtures shared by the CLI test modules (imported by name into each module) ----------------

@pytest.fixture(scope="module", autouse=True)
def _leave_clock_as_found(world):
    """Later modules share this world and may sign short windows: let the chain clock's lead decay."""
    yield
    settle_clock(world)


@pytest.fixture
def purse(purse_bin, world, tmp_path):
    """A factory of PurseCLI runners, each with its own config and database under tmp_path."""
    def make(config: dict | None = None, name: str = "p", **kw) -> "PurseCLI":
        return PurseCLI(purse_bin, world, tmp_path / name, config=config, **kw)
    return make


# ---- The CLI's fetch/quote JSON, checked against the tools' output schemas ------------------------

def _tool_schema(name: str):
    from jsonschema import Draft202012Validator
    return Draft202012Validator(json.loads((REPO / "schemas" / "tools" / f"{name}.output.schema.json").read_text()))


class CliPayer:
    """`purse fetch --json` and `purse quote --json` through a subclass's `run(*args)`, each answer
    checked against the schema of its MCP twin (`paid_fetch`, `quote`)."""

    PAID_FETCH_SCHEMA = _tool_schema("paid_fetch")
    QUOTE_SCHEMA = _tool_schema("quote")

    def fetch(self, url: str, **kw):
        r = self.run("fetch", url, "--json", **kw)
        out = r.json() if r.stdout.strip() else None
        if out is not None:
            errors = sorted(self.PAID_FETCH_SCHEMA.iter_errors(out), key=str)
            assert not errors, f"paid_fetch JSON breaks its schema: {errors[0]}"
        return r, out

    def quote(self, url: str):
        r = self.run("quote", url, "--json")
        assert r.rc == 0, r
        out = r.json()
        errors = sorted(self.QUOTE_SCHEMA.iter_errors(out), key=str)
        assert not errors, f"quote JSON breaks its schema: {errors[0]}"
        return out
