"""Shared helpers for the end-to-end tests of the `purse` CLI against the offline world.

    p = PurseCLI(purse_bin, world, tmp_path)            # fresh funded key, own config and db
    r = p.fetch(world["sellerUrl"] + "/weather")         # purse fetch --json → Run (rc, data, stderr)
    rows = p.payments()                                  # purse spend-log --format json → payment rows

Every subprocess has a timeout; every process started here is stopped here.
Ledger rows are read through `row_*` accessors so that the tests name one place that knows the
spend-log JSON key names.
"""

from __future__ import annotations

import pytest

import copy
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
WORLD_DIR = REPO / "examples" / "local-world"
if str(WORLD_DIR) not in sys.path:
    sys.path.insert(0, str(WORLD_DIR))

from eth_account import Account  # noqa: E402
from worldlib import balance_of, clock_lead, mint  # noqa: E402

DEFAULT_TIMEOUT = float(os.environ.get("PURSE_E2E_TIMEOUT", "60"))
EXIT_OK, EXIT_ERROR, EXIT_REFUSED, EXIT_PAYMENT = 0, 1, 3, 4


def purse_bin_path() -> Path:
    return Path(os.environ.get("PURSE_BIN", REPO / ".build" / "debug" / "purse"))


def fresh_payer(world: dict, atomic: int | str = "100000000") -> tuple[str, str]:
    """A new throw-away key funded with `atomic` units of the world token: (address, 0x-key)."""
    acct = Account.create()
    if int(atomic):
        r = mint(world, acct.address, str(atomic))
        assert int(r["status"], 16) == 1, r
        assert balance_of(world, acct.address) == int(atomic)
    return acct.address, "0x" + bytes(acct.key).hex()


def base_config(world: dict, **policy: Any) -> dict:
    """The config the tests start from: the world's chain and token, generous testnet policy."""
    cfg = {
        "networks": {world["network"]: {
            "rpcUrl": world["rpcUrl"],
            "assets": [{"address": world["token"], "name": world["tokenName"], "version": world["tokenVersion"],
                        "decimals": world["decimals"], "symbol": "USDC"}],
        }},
        "policy": {"maxPerRequest": "0.10", "sessionBudget": "1.00", "dailyBudget": "5.00",
                   "allowNetworks": [world["network"]]},
        "payment": {"validityCeilingSeconds": 300, "maxPaidAttempts": 3},
    }
    cfg["policy"].update(policy)
    return cfg


@dataclass
class Run:
    rc: int
    stdout: str
    stderr: str
    args: list[str]

    @property
    def data(self) -> Any:
        """stdout parsed as JSON (raises with the whole run when it is not JSON)."""
        try:
            return json.loads(self.stdout)
        except ValueError as e:
            raise AssertionError(f"stdout is not JSON: {self}") from e

    def __str__(self) -> str:
        return (f"purse {' '.join(self.args)} → exit {self.rc}\n--- stdout ---\n{self.stdout[:4000]}"
                f"\n--- stderr ---\n{self.stderr[:4000]}")


class PurseCLI:
    """One test's purse: its own key (fresh and funded unless given), config file and database."""

    def __init__(self, purse_bin: Path, world: dict, tmp: Path, *, config: dict | None = None,
                 key: str | None = None, address: str | None = None, fund: int | str = "100000000"):
        self.bin, self.world, self.tmp = Path(purse_bin), world, Path(tmp)
        self.tmp.mkdir(parents=True, exist_ok=True)
        if key is None:
            self.address, self.key = fresh_payer(world, fund)
        else:
            self.key = key
            self.address = address or Account.from_key(key).address
        self.config_path = self.tmp / "config.json"
        self.db_path = self.tmp / "purse.db"
        self.write_config(config if config is not None else base_config(world))

    # ---- files ---------------------------------------------------------------------------------

    def write_config(self, cfg: dict) -> None:
        self.config = copy.deepcopy(cfg)
        self.config_path.write_text(json.dumps(cfg, indent=2))

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PURSE_")}
        env.update({"PURSE_PRIVATE_KEY": self.key, "HOME": str(self.tmp), "XDG_CONFIG_HOME": str(self.tmp / "xdg"),
                    "XDG_DATA_HOME": str(self.tmp / "xdg-data")})
        env.update(extra)
        return env

    def common(self, db: Path | None = None) -> list[str]:
        return ["--config", str(self.config_path), "--db", str(db or self.db_path)]

    # ---- running -------------------------------------------------------------------------------

    def run(self, *args: str, timeout: float = DEFAULT_TIMEOUT, db: Path | None = None, with_common: bool = True,
            env: dict | None = None) -> Run:
        argv = [str(a) for a in args] + (self.common(db) if with_common else [])
        p = subprocess.run([str(self.bin), *argv], capture_output=True, text=True, timeout=timeout,
                           env=env or self.env(), stdin=subprocess.DEVNULL)
        return Run(p.returncode, p.stdout, p.stderr, argv)

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


# ---- spend-log JSON accessors (the one place that knows the Ledger's key names) ---------------

def _first(row: dict, *names: str, default: Any = None) -> Any:
    for n in names:
        if n in row and row[n] is not None:
            return row[n]
    return default


def payments_of(doc: dict) -> list[dict]:
    rows = _first(doc, "payments", "rows", default=None)
    assert isinstance(rows, list), f"spend-log JSON has no payments list: {json.dumps(doc)[:2000]}"
    return rows


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


def wait_until(pred, timeout: float, interval: float = 0.05, what: str = "condition"):
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
    lead decays in real time while the chain is idle."""
    lead0 = clock_lead(world)
    deadline = time.monotonic() + limit
    while clock_lead(world) > target and time.monotonic() < deadline:
        time.sleep(0.5)
    print(f"chain clock lead {lead0:.1f} s → {clock_lead(world):.1f} s")


def tool_json(res: dict) -> dict:
    """A tool result's JSON: structuredContent, or (on isError, where Purse omits it) the JSON text block."""
    if res["structuredContent"] is not None:
        return res["structuredContent"]
    for c in reversed(res["content"]):
        if c.get("type") == "text" and c["text"].lstrip().startswith("{"):
            return json.loads(c["text"])
    raise AssertionError(f"no JSON in the tool result: {res}")


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
