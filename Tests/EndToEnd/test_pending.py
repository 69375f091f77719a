"""Pending and ambiguous settlements end to end: a facilitator that answers `settlement_pending` is
recorded `unknown` with its transaction hash and never re-signed; `purse reconcile` settles it
from the chain, searching logs only in a window found by block timestamps (through an RPC that,
like public ones, refuses wide `eth_getLogs` ranges); a 5xx after the paid request is unknown too.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

import purse_e2e  # noqa: F401  (puts the world dir on sys.path)
from purse_e2e import EXIT_OK, EXIT_PAYMENT, base_config
from worldlib import authorization_state, count_transfers, transfer_logs

from purse_e2e import _leave_clock_as_found, purse  # noqa: E402,F401

MAX_RANGE = 20  # blocks: tighter than any public RPC, so an unbounded search cannot pass


class CappedRPC(ThreadingHTTPServer):
    """A JSON-RPC proxy to the world's chain that refuses `eth_getLogs` over more than MAX_RANGE
    blocks (a range ending at 'latest' counts from its start), and records every call."""

    daemon_threads = True

    def __init__(self, upstream: str):
        self.upstream = upstream
        self.calls: list[dict] = []
        self.accepted_ranges: list[tuple[int, int]] = []
        self.refused_ranges: list[tuple[int, int]] = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: CappedRPC

    def log_message(self, *a):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        req = json.loads(body)
        with self.server.lock:
            self.server.calls.append(req)
        if req.get("method") == "eth_getLogs":
            f = req["params"][0]
            latest = int(httpx.post(self.server.upstream, json={"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber", "params": []}).json()["result"], 16)
            lo = int(f.get("fromBlock", "0x0"), 16) if f.get("fromBlock", "").startswith("0x") else latest
            hi = int(f["toBlock"], 16) if f.get("toBlock", "").startswith("0x") else latest
            with self.server.lock:
                (self.server.refused_ranges if hi - lo + 1 > MAX_RANGE else self.server.accepted_ranges).append((lo, hi))
            if hi - lo + 1 > MAX_RANGE:
                out = json.dumps({"jsonrpc": "2.0", "id": req["id"],
                                  "error": {"code": -32005, "message": f"block range too large (max {MAX_RANGE})"}}).encode()
                return self._reply(out)
        out = httpx.post(self.server.upstream, content=body, headers={"Content-Type": "application/json"}, timeout=30).content
        self._reply(out)

    def _reply(self, out: bytes):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)


@pytest.fixture
def capped_rpc(world):
    srv = CappedRPC(world["rpcUrl"])
    yield srv
    srv.stop()


def test_settlement_pending_is_unknown_with_its_tx_and_reconcile_settles_it(world, purse, capped_rpc):
    cfg = base_config(world, allowAssets=[world["token"]])
    cfg["networks"][world["network"]]["rpcUrl"] = capped_rpc.url
    p = purse(cfg)
    fac_log = world["facilitatorPendingUrls"]["stuck"] + "/log"
    answers_before = len(httpx.get(fac_log, timeout=10).json()["settleAnswers"])

    r = p.fetch(world["sellerUrl"] + world["endpoints"]["weatherPending"])
    print("\npending:", json.dumps({k: r.data.get(k) for k in ("outcome", "status", "error", "payment")})[:1200])
    assert r.rc == EXIT_PAYMENT and r.data["outcome"] == "unknown" and r.data["status"] == 402, r
    tx = r.data["payment"]["transaction"]
    assert tx and r.data["payment"]["status"] == "unknown" and "settlement_pending" in r.data["error"]["message"]
    rows = p.payments()
    assert len(rows) == 1 and rows[0]["status"] == "unknown" and rows[0]["txHash"] == tx, rows

    # One signature: the facilitator saw one payload (its answers all name the same transaction),
    # and the chain moved once, in exactly that transaction.
    answers = httpx.get(fac_log, timeout=10).json()["settleAnswers"][answers_before:]
    assert answers and {a.get("transaction") for a in answers} == {tx}, answers
    logs = transfer_logs(world, sender=p.address)
    assert [lg["transactionHash"].lower() for lg in logs] == [tx]
    nonce = rows[0]["nonce"]
    assert authorization_state(world, p.address, nonce) is True

    # As after a crash before the answer was recorded: the ledger knows the nonce, not the hash,
    # so reconcile must find the transaction in the chain's logs.
    import sqlite3
    con = sqlite3.connect(p.db_path)
    con.execute("UPDATE payment SET tx_hash = NULL")
    con.commit()
    con.close()
    assert p.payments()[0]["txHash"] is None

    rec = p.reconcile()
    print(rec.stdout, rec.stderr)
    assert rec.rc == EXIT_OK and "1 settled on chain" in rec.stdout and tx in rec.stdout, rec
    after = p.payments()
    assert after[0]["status"] == "settled" and after[0]["txHash"] == tx, after
    assert count_transfers(world, p.address) == 1, "reconcile signed nothing"

    methods = [c["method"] for c in capped_rpc.calls]
    ranges = capped_rpc.accepted_ranges
    print(f"reconcile RPC calls: {len(methods)}; getLogs accepted {ranges}, refused {capped_rpc.refused_ranges}; "
          f"getBlockByNumber {methods.count('eth_getBlockByNumber')}")
    assert "eth_getBlockByNumber" in methods, "the window is found through block timestamps"
    assert "no log found" not in rec.stdout, "the hash came from the chain's log, not from the seller"
    assert ranges and all(hi - lo + 1 <= MAX_RANGE for lo, hi in ranges), ranges
    assert all(not (f.get("toBlock") == "latest" and f.get("fromBlock") in (None, "0x0"))
               for f in (c["params"][0] for c in capped_rpc.calls if c["method"] == "eth_getLogs")), "no search from block 0 to latest"
    # The window is bounded by time, not the whole chain: it ends near the payment's validBefore.
    latest = int(httpx.post(world["rpcUrl"], json={"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber", "params": []}).json()["result"], 16)
    assert max(hi for _, hi in ranges) <= latest
    assert "eth_call" in methods, "authorizationState is still the verdict"


def test_a_pending_answer_that_recovers_is_paid(world, purse):
    p = purse(base_config(world, allowAssets=[world["token"]]))
    r = p.fetch(world["sellerUrl"] + world["endpoints"]["weatherPendingRecovers"])
    assert r.rc == EXIT_OK and r.data["outcome"] == "paid" and r.data["payment"]["transaction"], r
    assert count_transfers(world, p.address) == 1


def test_a_5xx_after_the_paid_request_is_unknown_and_not_resigned(world, purse):
    cfg = base_config(world, allowAssets=[world["token"]])
    cfg["payment"]["maxPaidAttempts"] = 2
    p = purse(cfg)
    r = p.fetch(world["sellerUrl"] + "/fail-after-payment")
    assert r.rc == EXIT_PAYMENT and r.data["outcome"] == "unknown" and r.data["status"] == 500, r
    rows = p.payments()
    assert len(rows) == 1 and rows[0]["status"] == "unknown", rows
    # The default flow does not settle when the handler fails: reconcile finds it unused and keeps
    # counting it until it expires, signing nothing.
    rec = p.reconcile()
    assert rec.rc == EXIT_OK and "1 still pending" in rec.stdout, rec
    assert p.payments()[0]["status"] == "unknown"
    assert count_transfers(world, p.address) == 0
