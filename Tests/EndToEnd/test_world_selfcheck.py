"""The offline world works with the official x402 SDK client (v1 and v2), and stops cleanly."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import httpx

import selfcheck
from conftest import start_world, stop_world


def test_world_selfcheck(world, world_process):
    summary = asyncio.run(selfcheck.run(world, timed=10))
    assert summary["checks"] >= 11
    print(f"\nWORLD TIMINGS: start-up {world['startupSeconds']} s in process, "
          f"{world['wallStartupSeconds']} s wall from the command; paid request (official SDK client) "
          f"median {summary['paidMedianMs']} ms, mean {summary['paidMeanMs']} ms over {summary['n']}")
    assert world_process[0].poll() is None, "world died during the self-check"


def test_world_fronts(world):
    # other host: logs header names, /seen returns them
    r = httpx.get(world["sellerUrl"] + world["endpoints"]["redirectOther"], follow_redirects=False)
    assert r.status_code == 402 and "payment-required" in r.headers
    r = httpx.get(world["sellerUrl"] + "/redirect-plain", follow_redirects=True,
                  headers={"X-Probe": "1"})
    assert r.status_code == 200 and r.json()["host"] == "other"
    seen = httpx.get(world["otherHostUrl"] + "/seen").json()
    assert any("x-probe" in [h.lower() for h in hs] for hs in seen)
    # drop front: an unpaid request goes through (402 from the seller) and, carrying no payment,
    # adds no nonce to the log (which other tests of this session may already have filled)
    before = httpx.get(world["dropUrl"] + "/drop-log").json()
    r = httpx.get(world["dropUrl"] + world["endpoints"]["drop"])
    assert r.status_code == 402 and "payment-required" in r.headers
    after = httpx.get(world["dropUrl"] + "/drop-log").json()
    assert isinstance(after["nonces"], list) and isinstance(after["dropped"], list), after
    assert after == before, (before, after)
    # big body
    r = httpx.get(world["sellerUrl"] + world["endpoints"]["big"])
    assert r.status_code == 402


def test_world_stops_cleanly_and_leaves_nothing():
    """A second world (another chain id, no v1 name) starts, answers, and stops on SIGTERM within ~1 s."""
    with tempfile.TemporaryDirectory(prefix="purse-world2-") as d:
        proc, w, wall = start_world(Path(d) / "w.json", chain_id=31337)
        assert w["v1Network"] is None and w["network"] == "eip155:31337"
        assert httpx.get(w["sellerUrl"] + "/health").status_code == 200
        # A discovery request that is never answered must not hold the world's stop.
        hang = urlsplit(w["discovery"]["hang"])
        with socket.create_connection((hang.hostname, hang.port), timeout=5) as held:
            held.sendall(f"GET {hang.path}/discovery/resources HTTP/1.1\r\nHost: {hang.netloc}\r\n\r\n".encode())
            took = stop_world(proc)
            held.settimeout(3)
            assert held.recv(1) == b"", "the hanging discovery connection was not closed at stop"
        print(f"\nsecond world: ready in {wall:.2f} s wall, stopped in {took:.2f} s")
        assert took < 3.0
        assert proc.returncode == 0
        # stop_world reaped the process (world.py runs its servers as threads, it has no children)
        out = subprocess.run(["pgrep", "-f", f"world.py --out {d}"], capture_output=True, text=True)
        assert out.stdout.strip() == "", f"leftover world process: {out.stdout}"
