"""Approval from the terminal, for MCP clients without elicitation, under the official MCP Python
client 2.3.0 in both revisions (the 2025-11-25 handshake and stateless 2026-07-28).

Shows: a paid_fetch above confirmAbove gets outcome approval_required with the approval
{id, command, expiresAt, amount, symbol, payTo, host, url} and nothing is signed; `purse approvals`
lists it; `purse approve ID --yes` approves it and the repeated call with approval_id pays exactly
once; a second use of the id, a denied id, an expired id, a forged id and an id used for another
payment are refused with their approval.* codes and nothing is signed; a `serve` restart between
the approval and the retry changes nothing; `purse approve` reads the terminal, never stdin. The
chain agrees every time (count_transfers, balance_of).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from datetime import datetime, timezone

import pytest

from conftest import balance_of, count_transfers, receipt
from mcp_driver import PurseMCP
from purse_e2e import (EXIT_ERROR, EXIT_OK, base_env, ledger_rows, new_key, result_json, run_purse, wait_until,
                       write_config)

MODES = {"handshake": None, "stateless": "2026-07-28"}


class Env:
    """A funded wallet whose payments above 0.005 need approval, and no elicitation in the client."""

    def __init__(self, world, purse_bin, tmp_path, mode, fund=10_000_000, **payment):
        self.world, self.purse_bin, self.mode = world, purse_bin, mode
        self.key, self.address = new_key(world, fund)
        self.fund = fund
        self.config = write_config(tmp_path / "config.json", world, policy={"confirmAbove": "0.005"}, payment=payment)
        self.db = tmp_path / "purse.db"
        self.env = base_env(tmp_path, self.key)

    def mcp(self) -> PurseMCP:
        cmd = [str(self.purse_bin), "serve", "--config", str(self.config), "--db", str(self.db)]
        return PurseMCP(cmd, self.env, mode=self.mode)  # no elicit policy: no elicitation capability

    def url(self, path: str = "/weather") -> str:
        return self.world["sellerUrl"] + path

    def purse(self, *args: str, **kw):
        return run_purse(self.purse_bin, list(args), self.env, config=self.config, db=self.db, **kw)

    def transfers(self) -> int:
        return count_transfers(self.world, self.address)

    def balance(self) -> int:
        return balance_of(self.world, self.address)

    async def fetch(self, s: PurseMCP, path: str = "/weather", approval_id: str | None = None) -> dict:
        args = {"url": self.url(path)}
        if approval_id is not None:
            args["approval_id"] = approval_id
        return await s.call("paid_fetch", args)


def outcome(r: dict) -> tuple[str, str | None]:
    d = result_json(r) or {}
    return d.get("outcome"), (d.get("error") or {}).get("code")


def run(coro, timeout: float = 120):
    return asyncio.run(asyncio.wait_for(coro, timeout))


@pytest.mark.parametrize("mode", list(MODES))
def test_approve_then_the_repeated_call_pays_once(mode, world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path, MODES[mode])

    async def ask():
        async with e.mcp() as s:
            return await e.fetch(s), s.negotiated_version

    first, version = run(ask())
    d = first["structuredContent"]
    ticket = d["approval"]
    print(f"\n{mode} ({version}): outcome {d['outcome']}, approval {json.dumps(ticket)}\n  text: {first['text']}")
    assert not first["isError"] and d["outcome"] == "approval_required" and d["paid"] is False
    assert set(ticket) >= {"id", "command", "expiresAt", "amount", "symbol", "payTo", "host", "url"}
    assert ticket["id"].startswith("apr_") and ticket["command"] == f"purse approve {ticket['id']}"
    assert ticket["amount"] == "0.01" and ticket["symbol"] == "USDC" and ticket["url"] == e.url()
    assert ticket["host"] == "127.0.0.1" and ticket["payTo"].lower() == world["seller"].lower()
    expires = datetime.fromisoformat(ticket["expiresAt"].replace("Z", "+00:00"))
    assert 500 < (expires - datetime.now(timezone.utc)).total_seconds() <= 601, "default validity 600 s"
    assert ticket["command"] in first["text"] and "approval_id" in first["text"]
    assert e.transfers() == 0 and [r["status"] for r in ledger_rows(e.db)] == ["failed"], "reserved, then released"

    listed = e.purse("approvals", "--json")
    assert listed.rc == EXIT_OK, str(listed)
    pending = listed.data["approvals"]
    print(f"  purse approvals --json: {[(a['id'], a['state'], a['amount']) for a in pending]}")
    assert [a["id"] for a in pending] == [ticket["id"]] and pending[0]["state"] == "pending"
    shown = e.purse("approve", ticket["id"], "--yes")
    print(f"  purse approve --yes → exit {shown.rc}\n" + "\n".join("    " + x for x in shown.stdout.splitlines()))
    assert shown.rc == EXIT_OK, str(shown)
    for part in ("0.01 USDC", world["network"], e.url(), "127.0.0.1", "Payment flow: authorization", "Budget left"):
        assert part in shown.stdout, part
    assert e.purse("approvals", "--json").data["approvals"] == [], "no longer pending"

    async def retry():
        async with e.mcp() as s:
            return await e.fetch(s, approval_id=ticket["id"]), await e.fetch(s, approval_id=ticket["id"])

    paid, reused = run(retry())
    pd = paid["structuredContent"]
    print(f"  retry with approval_id → {outcome(paid)} tx {pd.get('payment', {}).get('transaction')}; "
          f"again → {outcome(reused)}; transfers {e.transfers()}")
    assert outcome(paid) == ("paid", None) and pd["paid"] is True
    assert int(receipt(world, pd["payment"]["transaction"])["status"], 16) == 1
    assert outcome(reused) == ("refused", "approval.reused") and reused["isError"]
    assert e.transfers() == 1 and e.balance() == e.fund - 10_000
    used = e.purse("approvals", "--all", "--json").data["approvals"]
    assert used[0]["state"] == "used" and used[0]["usedNonce"], used


@pytest.mark.parametrize("mode", list(MODES))
def test_denied_forged_mismatched_and_expired_ids_pay_nothing(mode, world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path, MODES[mode])

    async def session(steps):
        async with e.mcp() as s:
            return [await step(s) for step in steps]

    # One approval to deny, one approved for /weather (0.01) then offered for /multi (0.02), both
    # valid 600 s; then, with payment.approvalValiditySeconds 5, one that expires after approval.
    denied_id, weather_id = [r["structuredContent"]["approval"]["id"] for r in run(session([lambda s: e.fetch(s)] * 2))]
    write_config(e.config, world, policy={"confirmAbove": "0.005"}, payment={"approvalValiditySeconds": 5})
    short = run(session([lambda s: e.fetch(s)]))[0]["structuredContent"]["approval"]
    expiring_id = short["id"]
    assert e.purse("deny", denied_id).rc == EXIT_OK
    assert e.purse("approve", weather_id, "--yes").rc == EXIT_OK
    assert e.purse("approve", expiring_id, "--yes").rc == EXIT_OK
    expires = datetime.fromisoformat(short["expiresAt"].replace("Z", "+00:00"))
    wait_until(lambda: datetime.now(timezone.utc) > expires, 15, 0.2, "the approval's expiry")

    async def tries(s):
        out = {"denied": await e.fetch(s, approval_id=denied_id),
               "forged": await e.fetch(s, approval_id="apr_" + "0" * 24),
               "garbage": await e.fetch(s, approval_id="forged-by-the-agent"),
               "mismatch": await e.fetch(s, "/multi", approval_id=weather_id),
               "expired": await e.fetch(s, approval_id=expiring_id)}
        return out

    out = run(session([tries]))[0]
    for k, r in out.items():
        print(f"\n{mode}: {k} → {outcome(r)}: {(result_json(r) or {}).get('error', {}).get('message', '')[:160]}")
    assert outcome(out["denied"]) == ("refused", "approval.denied")
    assert outcome(out["forged"]) == ("refused", "approval.unknown")
    assert outcome(out["garbage"]) == ("refused", "approval.unknown")
    assert outcome(out["mismatch"]) == ("refused", "approval.mismatch")
    assert outcome(out["expired"]) == ("refused", "approval.expired")
    assert all(r["isError"] and (result_json(r) or {}).get("paid") is False for r in out.values())
    assert e.transfers() == 0 and e.balance() == e.fund, "nothing was signed"
    assert all(r["status"] == "failed" for r in ledger_rows(e.db))
    # The mismatched approval was not consumed: it still pays the payment it was approved for.
    later = run(session([lambda s: e.fetch(s, approval_id=weather_id)]))[0]
    assert outcome(later) == ("paid", None)
    assert e.transfers() == 1


def test_a_serve_restart_between_approval_and_retry_changes_nothing(world, purse_bin, tmp_path):
    """Ask in one `serve` (stateless), approve while no server runs, retry in a new `serve` (handshake)."""
    e = Env(world, purse_bin, tmp_path, "2026-07-28")

    async def ask():
        async with e.mcp() as s:
            return await e.fetch(s)

    ticket = run(ask())["structuredContent"]["approval"]
    assert e.purse("approve", ticket["id"], "--yes").rc == EXIT_OK
    e.mode = None

    async def retry():
        async with e.mcp() as s:
            return await e.fetch(s, approval_id=ticket["id"]), s.negotiated_version

    paid, version = run(retry())
    print(f"\nasked in serve #1 (2026-07-28), approved with no serve running, retried in serve #2 ({version}): "
          f"{outcome(paid)}; transfers {e.transfers()}")
    assert outcome(paid) == ("paid", None)
    assert e.transfers() == 1 and e.balance() == e.fund - 10_000
    sessions = {r["session_id"] for r in ledger_rows(e.db)}
    assert len(sessions) == 2, "two serve sessions, one ledger"


def test_approve_reads_the_terminal_not_stdin(world, purse_bin, tmp_path):
    e = Env(world, purse_bin, tmp_path, None)

    async def ask():
        async with e.mcp() as s:
            return await e.fetch(s)

    ticket = run(ask())["structuredContent"]["approval"]
    # No controlling terminal (a new session), "y" piped on stdin: it must not approve.
    p = subprocess.run([str(purse_bin), "approve", ticket["id"], "--config", str(e.config), "--db", str(e.db)],
                       env=e.env, input="y\n", capture_output=True, text=True, timeout=30, start_new_session=True)
    print(f"\npurse approve with 'y' on stdin and no terminal → exit {p.returncode}: {p.stderr.strip()}")
    assert p.returncode == EXIT_ERROR and "approval.no_terminal" in p.stderr
    state = e.purse("approvals", "--json").data["approvals"]
    assert [a["state"] for a in state] == ["pending"]
    unknown = e.purse("approve", "apr_" + "f" * 24, "--yes")
    assert unknown.rc == EXIT_ERROR and "approval.unknown" in unknown.stderr
    assert e.transfers() == 0
