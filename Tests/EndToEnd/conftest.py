"""Python end-to-end harness: one offline x402 world per pytest session.

Fixtures: `world` (parsed world.json of a running world, session scope), `purse_bin`.
Helpers (re-exported from examples/local-world/worldlib.py): balance_of, count_transfers,
transfer_logs, mint, rpc, receipt, clock_lead, other_host_seen, drop_log.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WORLD_DIR = REPO / "examples" / "local-world"
sys.path.insert(0, str(WORLD_DIR))

import purse_e2e  # noqa: E402
from worldlib import (  # noqa: E402,F401  (re-exported for tests)
    authorization_state,
    balance_of,
    clock_lead,
    count_transfers,
    drop_log,
    eth_balance,
    mint,
    other_host_seen,
    receipt,
    rpc,
    transfer_logs,
)

WORLD_START_TIMEOUT = float(os.environ.get("PURSE_WORLD_TIMEOUT", "30"))

# ---- summary lines ---------------------------------------------------------------------------
# Tests print their headline figures as `TAG: …` lines (HOSTILE, FAULTS, KEY LEAKS, WORLD
# TIMINGS…). Under pytest-xdist (scripts/test runs the files on several workers) a worker's
# output is captured, not shown, so the controller collects those lines from every report and
# prints them once at the end; without xdist they are collected the same way.
SUMMARY_LINE = re.compile(r"^[A-Z][A-Z0-9 ]{3,}: ")
_summary_lines: list[str] = []


def pytest_runtest_logreport(report):
    for name, text in report.sections:
        if name.startswith("Captured stdout"):
            _summary_lines.extend(ln.strip() for ln in text.splitlines() if SUMMARY_LINE.match(ln.strip()))


def pytest_terminal_summary(terminalreporter):
    if _summary_lines:
        terminalreporter.section("summary lines")
        for line in dict.fromkeys(_summary_lines):
            terminalreporter.write_line(line)



def start_world(out: Path, chain_id: int = 84532, extra: list[str] | None = None):
    """Start world.py; returns (process, world dict, wall-clock seconds to ready)."""
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, str(WORLD_DIR / "world.py"), "--out", str(out),
                             "--chain-id", str(chain_id), *(extra or [])],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=None)
    deadline = t0 + WORLD_START_TIMEOUT
    while not out.exists():
        if proc.poll() is not None:
            raise RuntimeError(f"world.py exited with {proc.returncode} before it was ready")
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait(5)
            raise TimeoutError(f"world.py not ready after {WORLD_START_TIMEOUT} s")
        time.sleep(0.05)
    world = json.loads(out.read_text())
    world["wallStartupSeconds"] = round(time.monotonic() - t0, 3)
    return proc, world, world["wallStartupSeconds"]


def stop_world(proc: subprocess.Popen, timeout: float = 5.0) -> float:
    """SIGTERM, wait, and assert it exited; returns seconds it took."""
    t = time.monotonic()
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
            raise AssertionError("world.py did not stop on SIGTERM")
    assert proc.returncode is not None
    return time.monotonic() - t


@pytest.fixture(scope="session")
def world_process():
    with tempfile.TemporaryDirectory(prefix="purse-world-") as d:
        proc, world, _ = start_world(Path(d) / "world.json")
        try:
            yield proc, world
        finally:
            took = stop_world(proc)
            print(f"\nworld: stopped in {took:.2f} s (exit {proc.returncode})")
            assert proc.returncode == 0, f"world.py exited with {proc.returncode}"


@pytest.fixture(scope="session")
def world(world_process) -> dict:
    return world_process[1]


@pytest.fixture(scope="session")
def purse_bin() -> Path:
    return purse_e2e.purse_bin_path()


def pytest_configure(config):
    config.addinivalue_line("markers", "fault_injection: kills purse with the debug build's PURSE_FAULT_KILL_AT hook")


@pytest.fixture(autouse=True)
def _fault_injection_needs_a_debug_build(request):
    """A crash test (marked `fault_injection`) is skipped, with the reason, when `PURSE_BIN` is a
    release build: it has no hook, so it would pay instead of crashing."""
    if request.node.get_closest_marker("fault_injection") and not purse_e2e.has_fault_injection(purse_e2e.purse_bin_path()):
        pytest.skip("PURSE_BIN is a release build without the PURSE_FAULT_KILL_AT hook; the crash tests need a debug build")


# ---- paid upstream MCP servers (examples/local-world/upstream_mcp.py) -------------------------

@pytest.fixture
def upstream(world):
    """Factory: `upstream(transport="stdio", convention="spec", hostile=None, **kw)` returns a
    started (http) or ready-to-spawn (stdio) `upstreams.UpstreamHandle`; all are stopped at teardown."""
    from upstreams import start_upstream

    handles = []

    def make(transport: str = "stdio", convention: str = "spec", hostile: str | None = None, **kw):
        h = start_upstream(world, transport, convention, hostile, **kw)
        handles.append(h)
        return h

    try:
        yield make
    finally:
        for h in handles:
            h.stop()
