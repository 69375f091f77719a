"""Today's x402 against the official SDK's own seller, facilitator and extensions (issue 12):
payment-identifier (required, with bazaar, and a seller that drops the first answer), sign-in-with-x
(pay once, then sign in; never for another origin, chain or an expired challenge), signed offers
and receipts (checked here with eth-account as an independent oracle), the upfront payment flow,
and the echo of every advertised extension. Every money claim is checked on chain.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import sqlite3

import httpx
import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data

import purse_e2e  # noqa: F401  (puts the world dir on sys.path)
from mcp_driver import PurseMCP
from purse_e2e import EXIT_OK, EXIT_PAYMENT, EXIT_REFUSED, base_config, tool_json
from worldlib import count_transfers, transfer_logs

# Shared fixtures: a PurseCLI factory, and letting the chain clock's lead decay after the module.
from purse_e2e import _leave_clock_as_found, purse  # noqa: E402,F401

ID_RE = r"^[A-Za-z0-9_-]{16,128}$"


def local_only(world, **policy) -> dict:
    return base_config(world, allowAssets=[world["token"]], **policy)


def url(world, key: str, base: str | None = None) -> str:
    return (base or world["sellerUrl"]) + world["endpoints"][key]


def ledger_rows(p) -> list[dict]:
    """The payment rows with the columns spend-log does not show (the exact signed payload, the offer)."""
    con = sqlite3.connect(f"file:{p.db_path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM payment ORDER BY id")]
    finally:
        con.close()


# ---- payment-identifier + bazaar ------------------------------------------------------------------

def test_payment_identifier_required_with_bazaar_pays_once_and_logs_the_id(world, purse):
    p = purse(local_only(world))
    before = count_transfers(world, p.address)
    r = p.fetch(url(world, "weatherId"))
    print("\n", json.dumps({k: r.data.get(k) for k in ("outcome", "status", "payment")})[:1500])
    assert r.rc == EXIT_OK and r.data["outcome"] == "paid" and r.data["status"] == 200, r
    pid = r.data["payment"]["paymentId"]
    import re
    assert pid and re.match(ID_RE, pid), pid

    # The spend-log shows it; the ledger row holds the exact payload that was sent.
    rows = p.payments()
    assert [x["paymentId"] for x in rows] == [pid] and rows[0]["status"] == "settled", rows
    raw = ledger_rows(p)[0]
    assert raw["payment_id"] == pid and raw["resource"] == world["sellerUrl"] + "/weather-id"
    sent = json.loads(raw["signed_payload"])
    assert sent["extensions"]["payment-identifier"]["info"] == {"required": True, "id": pid}
    assert "bazaar" in sent["extensions"], "every advertised extension is echoed"
    assert sent["resource"]["url"].endswith("/weather-id")
    # The seller logged exactly that payload for that id: one verify, one settle.
    log = httpx.get(url(world, "idLog"), timeout=10).json()["ids"][pid]
    assert log["settles"] == 1 and log["distinctPayloads"] == 1, log
    assert log["payloadHashes"] == [hashlib.sha256(raw["signed_payload"].encode()).hexdigest()], \
        "the ledger keeps the exact bytes the seller received"
    assert count_transfers(world, p.address) == before + 1


@pytest.mark.fault_injection
@pytest.mark.parametrize("step,payload_kept", [("signed", False), ("sent", False), ("answered", True)])
def test_the_id_is_durable_before_signing_and_the_payload_kept_once_answered(world, purse, step, payload_kept):
    """Killed right after signing, or as the payload leaves, the row already holds the id (its
    sent mark trails the send on SQLite, and reconcile finds the payment by its nonce); killed
    once the answer is in, the mark has landed and holds the exact payload too."""
    p = purse(local_only(world))
    r = p.run("fetch", url(world, "weatherId"), "--json", env=p.env(PURSE_FAULT_KILL_AT=step))
    assert r.rc == -9, r
    raw = ledger_rows(p)[0]
    print(f"\nkilled at {step}: status {raw['status']} payment_id {raw['payment_id']} payload kept {raw['signed_payload'] is not None}")
    import re
    assert raw["payment_id"] and re.match(ID_RE, raw["payment_id"]), raw
    assert raw["status"] == ("sent" if payload_kept else "reserved")
    assert (raw["signed_payload"] is not None) is payload_kept
    if payload_kept:
        assert json.loads(raw["signed_payload"])["extensions"]["payment-identifier"]["info"]["id"] == raw["payment_id"]


def test_a_dropped_answer_is_recovered_by_resending_the_same_payload(world, purse):
    p = purse(local_only(world))
    before = count_transfers(world, p.address)
    r = p.fetch(world["idDropUrl"] + world["endpoints"]["weatherIdDrop"])
    assert r.rc == EXIT_OK and r.data["outcome"] == "paid", r
    pid = r.data["payment"]["paymentId"]
    log = httpx.get(world["idDropUrl"] + "/id-log", timeout=10).json()
    entry = log["ids"][pid]
    print(f"\nid-log for {pid}: {entry}; dropped {log.get('dropped')}")
    assert pid in log["dropped"], "the front dropped the first answer"
    assert entry["requests"] >= 2 and entry["replayed"] >= 1 and entry["distinctPayloads"] == 1, entry
    assert entry["settles"] == 1, entry
    assert count_transfers(world, p.address) == before + 1, "the chain moved once"
    rows = p.payments()
    assert len(rows) == 1 and rows[0]["status"] == "settled" and rows[0]["paymentId"] == pid, rows


# ---- sign-in-with-x ------------------------------------------------------------------------------

def siwx_events(world, variant: str) -> list[dict]:
    events = httpx.get(url(world, "siwxLog"), timeout=10).json()["events"]
    return [e for e in events if e["variant"] == world["endpoints"][variant]]


def test_siwx_first_fetch_pays_second_signs_in_over_cli_and_mcp(world, purse):
    p = purse(local_only(world))
    target = url(world, "siwxWeather")
    first = p.fetch(target)
    assert first.rc == EXIT_OK and first.data["outcome"] == "paid", first
    assert first.data["signIn"]["status"] == "not_paid_before", first.data.get("signIn")
    assert count_transfers(world, p.address) == 1

    q = p.quote(target)
    assert q.data["signIn"] == {"status": "would_sign_in", "chain": world["network"]}, q.data.get("signIn")
    assert "first sign in" in p.run("quote", target).stdout

    second = p.fetch(target)
    print("\nsecond fetch:", json.dumps({k: second.data.get(k) for k in ("outcome", "status", "paid", "signIn", "body")}))
    assert second.rc == EXIT_OK, second
    assert second.data["outcome"] == "signed_in" and second.data["status"] == 200 and second.data["paid"] is False
    assert "payment" not in second.data and second.data["body"]
    assert second.data["signIn"] == {"status": "signed_in", "address": p.address, "chain": world["network"]}

    # The MCP tool reports the same.
    async def go():
        async with PurseMCP(p.serve_command(), env=p.env(), read_timeout=60) as s:
            return await s.call("paid_fetch", {"url": target})

    res = asyncio.run(asyncio.wait_for(go(), 90))
    data = tool_json(res)
    assert not res["isError"] and data["outcome"] == "signed_in" and data["status"] == 200, res
    assert count_transfers(world, p.address) == 1, "no new transfer after signing in"
    granted = [e for e in siwx_events(world, "siwxWeather") if e["type"] == "access_granted" and e.get("address") == p.address]
    assert len(granted) == 2, granted
    assert [x["status"] for x in p.payments()] == ["settled"]


@pytest.mark.parametrize("variant,code", [("siwxOtherDomain", "siwx.domain_mismatch"),
                                          ("siwxExpired", "siwx.expired"),
                                          ("siwxOtherChain", "siwx.chain_not_offered")])
def test_siwx_challenge_for_another_host_chain_or_expired_is_not_signed(world, purse, variant, code):
    p = purse(local_only(world))
    target = url(world, variant)
    assert p.fetch(target).data["outcome"] == "paid"
    # The world is shared: other clients' events are already in the log; only new ones count.
    before = len(siwx_events(world, variant))
    r = p.fetch(target)
    print(f"\n{variant}: {r.data.get('signIn')}")
    assert r.data["signIn"]["status"] == "refused" and r.data["signIn"]["code"] == code, r.data.get("signIn")
    # Not signed: the server saw no sign-in header (it would log a grant or a failure).
    seen = [e for e in siwx_events(world, variant)[before:] if e["type"] in ("access_granted", "validation_failed")]
    assert seen == [], seen
    # It paid again instead, as the official client does.
    assert r.data["outcome"] == "paid" and count_transfers(world, p.address) == 2


def test_siwx_can_be_turned_off(world, purse):
    cfg = local_only(world)
    cfg["payment"]["signIn"] = False
    p = purse(cfg)
    target = url(world, "siwxWeather")
    assert p.fetch(target).data["outcome"] == "paid"
    r = p.fetch(target)
    assert r.data["outcome"] == "paid" and r.data["signIn"]["status"] == "disabled", r.data
    assert count_transfers(world, p.address) == 2


# ---- signed offers and receipts ------------------------------------------------------------------

OFFER_TYPES = {
    "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                     {"name": "chainId", "type": "uint256"}],
    "Offer": [{"name": n, "type": t} for n, t in [("version", "uint256"), ("resourceUrl", "string"), ("scheme", "string"),
                                                 ("network", "string"), ("asset", "string"), ("payTo", "string"),
                                                 ("amount", "string"), ("validUntil", "uint256")]],
}
RECEIPT_TYPES = {
    "EIP712Domain": OFFER_TYPES["EIP712Domain"],
    "Receipt": [{"name": n, "type": t} for n, t in [("version", "uint256"), ("network", "string"), ("resourceUrl", "string"),
                                                   ("payer", "string"), ("issuedAt", "uint256"), ("transaction", "string")]],
}


def recover(kind: str, artifact: dict) -> str:
    """eth-account's recovery of an offer or receipt, typed from the spec (an oracle independent of Purse)."""
    primary, types = ("Offer", OFFER_TYPES) if kind == "offer" else ("Receipt", RECEIPT_TYPES)
    message = {f["name"]: artifact["payload"].get(f["name"]) for f in types[primary]}
    if kind == "offer":
        message["validUntil"] = int(message["validUntil"] or 0)
    else:
        message["transaction"] = message["transaction"] or ""
    full = {"types": types, "primaryType": primary, "domain": {"name": f"x402 {kind}", "version": "1", "chainId": 1},
            "message": message}
    return Account.recover_message(encode_typed_data(full_message=full), signature=artifact["signature"])


def signers(world) -> dict:
    return {"127.0.0.1": [world["offerSignerAddress"]]}


def offer_config(world) -> dict:
    cfg = local_only(world)
    cfg["payment"]["offerSigners"] = signers(world)
    return cfg


def test_a_matching_signed_offer_pays_and_the_receipt_is_verified_and_stored(world, purse):
    p = purse(offer_config(world))
    r = p.fetch(url(world, "offerWeather"))
    assert r.rc == EXIT_OK and r.data["outcome"] == "paid", r
    pay = r.data["payment"]
    print("\noffer:", json.dumps(pay["offer"])[:600], "\nreceipt:", json.dumps(pay["receipt"])[:600])
    assert pay["offer"]["verified"] is True and pay["offer"]["signerAuthorization"] == "configured"
    assert pay["offer"]["signer"] == world["offerSignerAddress"]
    assert recover("offer", pay["offer"]["offer"]) == world["offerSignerAddress"], "eth-account agrees on the signer"
    assert pay["receipt"]["verified"] is True and pay["receipt"]["problems"] == [], pay["receipt"]

    row = p.payments()[0]
    receipt = row["receipt"]
    assert row["status"] == "settled" and receipt["verified"] is True
    assert recover("receipt", receipt["receipt"]) == world["offerSignerAddress"]
    assert receipt["receipt"]["payload"]["payer"].lower() == p.address.lower()
    assert receipt["receipt"]["payload"]["transaction"].lower() == row["txHash"]
    stored_offer = json.loads(ledger_rows(p)[0]["offer"])
    assert stored_offer["offer"] == pay["offer"]["offer"]
    assert count_transfers(world, p.address) == 1


@pytest.mark.parametrize("variant,what", [("offerTamperedPayTo", "payTo"), ("offerTamperedAmount", "amount"),
                                          ("offerExpired", "expired"), ("offerBadSignature", "signed by")])
def test_a_tampered_expired_or_foreign_offer_is_refused_with_nothing_signed(world, purse, variant, what):
    p = purse(offer_config(world))
    r = p.fetch(url(world, variant))
    print(f"\n{variant}: rc {r.rc} {r.data.get('error')}")
    assert r.rc == EXIT_REFUSED and r.data["outcome"] == "refused", r
    assert r.data["error"]["code"] == "x402.offer_mismatch" and what in r.data["error"]["message"], r.data["error"]
    assert "payment" not in r.data
    assert p.payments() == [], "refused before reserving: no row, nothing signed"
    assert count_transfers(world, p.address) == 0 and p.balance() == 100_000_000


def test_without_configured_signers_a_foreign_signer_is_only_noted(world, purse):
    p = purse(local_only(world))
    r = p.fetch(url(world, "offerBadSignature"))
    assert r.data["outcome"] == "paid", r
    assert r.data["payment"]["offer"]["verified"] is False
    assert r.data["payment"]["offer"]["signerAuthorization"] == "unverified"
    assert r.data["payment"]["offer"]["signer"] == world["offerWrongSignerAddress"]
    # The tampered terms are refused whoever signed them.
    t = p.fetch(url(world, "offerTamperedPayTo"))
    assert t.data["error"]["code"] == "x402.offer_mismatch"
    assert count_transfers(world, p.address) == 1


@pytest.mark.parametrize("variant,problem", [("receiptBad", "signed by"), ("receiptWrongTx", "transaction")])
def test_a_bad_receipt_is_noted_not_fatal(world, purse, variant, problem):
    p = purse(offer_config(world))
    r = p.fetch(url(world, variant))
    assert r.rc == EXIT_OK and r.data["outcome"] == "paid", r
    row = p.payments()[0]
    print(f"\n{variant}: {row['receipt']['problems']}")
    assert row["status"] == "settled" and row["receipt"]["verified"] is False
    assert any(problem in x for x in row["receipt"]["problems"]), row["receipt"]
    assert row["receipt"]["receipt"]["signature"], "the receipt itself is kept"
    assert count_transfers(world, p.address) == 1


# ---- payment flows -------------------------------------------------------------------------------

def test_upfront_flow_is_shown_and_a_failed_handler_still_costs(world, purse):
    p = purse(local_only(world))
    q = p.quote(url(world, "weatherUpfront"))
    assert q.rc == EXIT_OK and q.data["wouldPay"] and q.data["paymentFlow"] == "upfront", q
    assert q.data["options"][0]["paymentFlow"] == "upfront"
    text = p.run("quote", url(world, "weatherUpfront"))
    assert "upfront" in text.stdout and "still costs" in text.stdout, text

    ok = p.fetch(url(world, "weatherUpfront"))
    assert ok.data["outcome"] == "paid" and ok.data["payment"]["paymentFlow"] == "upfront", ok
    failed = p.fetch(url(world, "failUpfront"))
    print("\nfail-upfront:", json.dumps({k: failed.data.get(k) for k in ("outcome", "status", "error")}))
    assert failed.rc == EXIT_PAYMENT and failed.data["outcome"] == "failed" and failed.data["status"] == 500, failed
    assert failed.data["error"]["code"] == "payment.not_delivered"
    assert failed.data["payment"]["status"] == "settled" and failed.data["payment"]["transaction"]
    assert [x["status"] for x in p.payments()] == ["settled", "settled"]
    assert count_transfers(world, p.address) == 2, "the upfront settlement moved money even though the handler failed"


def test_the_approval_prompt_names_the_payment_flow(world, purse):
    p = purse(local_only(world, confirmAbove="0.005"))

    async def go():
        async with PurseMCP(p.serve_command(), env=p.env(), elicit="accept", elicit_content={"approve": True},
                            read_timeout=60) as s:
            return await s.call("paid_fetch", {"url": url(world, "weatherUpfront")}), s.elicitations

    res, asked = asyncio.run(asyncio.wait_for(go(), 90))
    assert len(asked) == 1 and "Payment flow: upfront" in asked[0]["message"], asked
    assert not res["isError"] and tool_json(res)["outcome"] == "paid"
    assert count_transfers(world, p.address) == 1
