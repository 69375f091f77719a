"""`purse fetch` / `purse quote` against the offline x402 world (issue "interceptor").

Every test uses its own fresh funded key, config and database, and checks the chain, not only
Purse's own account of what happened.
"""

from __future__ import annotations

import base64
import json

import pytest

import purse_e2e  # noqa: F401  (puts the world dir on sys.path)
from worldlib import balance_of, count_transfers, drop_log, other_host_seen, receipt, transfer_logs
from purse_e2e import (EXIT_OK, EXIT_PAYMENT, EXIT_REFUSED, PurseCLI, base_config, chain_tx_hashes, payments_of,
                           row_status, row_tx)


# Shared fixtures: a PurseCLI factory, and letting the chain clock's lead decay after the module.
from purse_e2e import _leave_clock_as_found, purse  # noqa: E402,F401


def body_bytes(d: dict) -> bytes:
    return base64.b64decode(d["body"]) if d.get("bodyEncoding") == "base64" else d["body"].encode()


def assert_settled_on_chain(world, r, payer: str, amount: int):
    d = r.data
    assert r.rc == EXIT_OK, str(r)
    assert d["outcome"] == "paid" and d["paid"] is True, str(r)
    pay = d["payment"]
    assert pay["amountAtomic"] == str(amount)
    assert pay["status"] == "settled", pay
    assert pay["payer"].lower() == payer.lower()
    assert pay["payTo"].lower() == world["seller"].lower()
    tx = pay["transaction"]
    assert isinstance(tx, str) and tx.startswith("0x") and len(tx) == 66, pay
    rc = receipt(world, tx)
    assert rc is not None and int(rc["status"], 16) == 1, rc
    logs = transfer_logs(world, payer)
    assert [lg["transactionHash"].lower() for lg in logs] == [tx.lower()]
    assert int(logs[0]["data"], 16) == amount
    return pay


def no_payment_rows(p: PurseCLI) -> None:
    rows = payments_of(p.spend_log_json())
    assert not [r for r in rows if row_status(r) in ("sent", "settled", "unknown")], rows


@pytest.mark.parametrize("path,version", [("/weather", 2), ("/v1/weather", 1)])
def test_fetch_pays_v2_and_v1(world, purse, path, version):
    p = purse()
    seller0 = balance_of(world, world["seller"])
    r = p.fetch(world["sellerUrl"] + path)
    pay = assert_settled_on_chain(world, r, p.address, 10000)
    d = r.data
    assert d["status"] == 200 and "sunny" in d["body"], str(r)
    assert pay["x402Version"] == version
    assert pay["network"] == world["network"] and pay["amount"] == "0.01"
    assert p.balance() == 100_000_000 - 10000
    assert balance_of(world, world["seller"]) == seller0 + 10000
    rows = p.payments()
    assert [(row_status(x), row_tx(x)) for x in rows] == [("settled", pay["transaction"].lower())], rows


def test_fetch_plain_output_body_stdout_receipt_stderr(world, purse):
    p = purse()
    r = p.fetch(world["sellerUrl"] + "/weather", json_out=False)
    assert r.rc == EXIT_OK, str(r)
    assert json.loads(r.stdout)["report"]["weather"] == "sunny"
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("purse: ")]
    assert len(lines) == 1, str(r)
    tx = transfer_logs(world, p.address)[0]["transactionHash"]
    assert tx.lower() in lines[0].lower(), str(r)


def test_fetch_multi_pays_cheapest_allowed_option(world, purse):
    p = purse()
    seller0 = balance_of(world, world["seller"])
    r = p.fetch(world["sellerUrl"] + "/multi")
    pay = assert_settled_on_chain(world, r, p.address, 20000)
    assert pay["asset"].lower() == world["token"].lower() and pay["network"] == world["network"]
    assert r.data["status"] == 200 and json.loads(r.data["body"])["paid"] == "20000"
    assert balance_of(world, world["seller"]) == seller0 + 20000
    assert p.balance() == 100_000_000 - 20000


@pytest.mark.parametrize("how", ["max-price-flag", "maxPerRequest"])
def test_over_cap_refused_before_signing(world, purse, how):
    if how == "max-price-flag":
        p = purse()
        r = p.fetch(world["sellerUrl"] + "/weather", "--max-price", "0.005")
    else:
        p = purse(base_config(world, maxPerRequest="0.005"))
        r = p.fetch(world["sellerUrl"] + "/weather")
    assert r.rc == EXIT_REFUSED, str(r)
    d = r.data
    assert d["outcome"] == "refused" and d["paid"] is False and "payment" not in d, str(r)
    assert d["error"]["code"] == "policy.no_acceptable_option", str(r)
    assert "exceeds the per-request cap" in d["error"]["message"], str(r)
    assert "0.005" in d["error"]["message"], str(r)
    assert count_transfers(world, p.address) == 0
    assert p.balance() == 100_000_000
    no_payment_rows(p)


def test_network_not_allowed_refused(world, purse):
    cfg = base_config(world, allowNetworks=["eip155:421614"])
    p = purse(cfg)
    r = p.fetch(world["sellerUrl"] + "/weather")
    assert r.rc == EXIT_REFUSED, str(r)
    d = r.data
    assert d["paid"] is False and d["error"]["code"] == "policy.no_acceptable_option", str(r)
    assert "is not allowed by the policy" in d["error"]["message"], str(r)
    assert count_transfers(world, p.address) == 0
    no_payment_rows(p)


def test_unknown_asset_refused(world, purse):
    cfg = base_config(world)
    del cfg["networks"][world["network"]]["assets"]  # the local token is then not a known token
    p = purse(cfg)
    r = p.fetch(world["sellerUrl"] + "/weather")
    assert r.rc == EXIT_REFUSED, str(r)
    d = r.data
    assert d["paid"] is False and d["error"]["code"] == "policy.no_acceptable_option", str(r)
    assert "is not a known or allowed token" in d["error"]["message"], str(r)
    assert count_transfers(world, p.address) == 0
    no_payment_rows(p)


def test_multi_refusal_message_lists_every_option(world, purse):
    p = purse(base_config(world, maxPerRequest="0.012"))
    r = p.fetch(world["sellerUrl"] + "/multi")
    assert r.rc == EXIT_REFUSED, str(r)
    msg = r.data["error"]["message"]
    for reason in ("exceeds the per-request cap", "is not allowed by the policy", "is not a known or allowed token"):
        assert reason in msg, str(r)
    assert count_transfers(world, p.address) == 0


def test_fail_after_payment_not_settled(world, purse):
    p = purse()
    seller0 = balance_of(world, world["seller"])
    r = p.fetch(world["sellerUrl"] + "/fail-after-payment")
    print("\n", r)
    d = r.data
    assert d["status"] == 500, str(r)
    assert "handler failed" in d["body"]
    # Signed and sent, no settlement header: the outcome is unknown until the chain says otherwise.
    assert r.rc == EXIT_PAYMENT and d["outcome"] == "unknown", str(r)
    assert d["payment"]["status"] == "unknown" and d["payment"]["transaction"] is None, str(r)
    assert count_transfers(world, p.address) == 0
    assert p.balance() == 100_000_000
    assert balance_of(world, world["seller"]) == seller0
    rows = p.payments()
    assert [row_status(x) for x in rows] == ["unknown"], rows
    # The authorization is unused and still valid: reconcile keeps it pending, it does not guess.
    rec = p.reconcile()
    assert rec.rc == EXIT_OK and "1 still pending" in rec.stdout, str(rec)
    assert [row_status(x) for x in p.payments()] == ["unknown"]


def test_redirect_other_not_followed_with_payment(world, purse):
    p = purse()
    seen0 = len(other_host_seen(world))
    r = p.fetch(world["sellerUrl"] + "/redirect-other")
    print("\n", r)
    d = r.data
    assert d["status"] == 302 and r.rc == EXIT_PAYMENT and d["outcome"] == "unknown", str(r)
    assert d.get("redirectLocation") == world["otherHostUrl"] + "/collect", str(r)
    seen = other_host_seen(world)[seen0:]
    leaked = [h for h in seen if {x.lower() for x in h} & {"payment-signature", "x-payment"}]
    assert not leaked, seen
    assert count_transfers(world, p.address) == 0
    assert p.balance() == 100_000_000
    assert not [x for x in p.payments() if row_status(x) == "settled"]


def test_plain_redirect_is_returned(world, purse):
    p = purse()
    seen0 = len(other_host_seen(world))
    r = p.fetch(world["sellerUrl"] + "/redirect-plain")
    assert r.rc == EXIT_OK, str(r)
    d = r.data
    assert d["status"] == 302 and d["paid"] is False and d["outcome"] == "not_required", str(r)
    assert d.get("redirectLocation") == world["otherHostUrl"] + "/collect"
    assert len(other_host_seen(world)) == seen0  # not followed


def test_dropped_paid_request_resends_same_nonce(world, purse):
    p = purse()
    before = drop_log(world)["nonces"]
    r = p.fetch(world["dropUrl"] + "/drop-once")
    after = drop_log(world)["nonces"][len(before):]
    print("\n", r, "\nnonces:", after)
    assert len(set(after)) == 1 and len(after) >= 2, after
    assert count_transfers(world, p.address) <= 1
    pay = assert_settled_on_chain(world, r, p.address, 10000)
    assert r.data["status"] == 200 and "sunny" in r.data["body"]
    assert p.balance() == 100_000_000 - 10000
    rows = p.payments()
    assert [(row_status(x), row_tx(x)) for x in rows] == [("settled", pay["transaction"].lower())], rows


def test_quote_pays_nothing(world, purse):
    p = purse()
    seller0 = balance_of(world, world["seller"])
    r = p.quote(world["sellerUrl"] + "/weather")
    assert r.rc == EXIT_OK, str(r)
    q = r.data
    assert q["status"] == 402 and q["x402Version"] == 2, str(r)
    assert q["wouldPay"] is True and q["chosen"] == 0 and q["refusal"] is None, str(r)
    (o,) = q["options"]
    assert o["allowed"] is True and o["amountAtomic"] == "10000" and o["amount"] == "0.01"
    assert o["network"] == world["network"] and o["payTo"].lower() == world["seller"].lower()
    assert o["asset"].lower() == world["token"].lower()
    assert p.balance() == 100_000_000 and balance_of(world, world["seller"]) == seller0
    assert count_transfers(world, p.address) == 0
    no_payment_rows(p)


def test_quote_multi_explains_each_option(world, purse):
    p = purse()
    r = p.quote(world["sellerUrl"] + "/multi")
    assert r.rc == EXIT_OK, str(r)
    q = r.data
    assert q["chosen"] == world["multi"]["expectedIndex"] == 3 and q["wouldPay"] is True, str(r)
    opts = {o["index"]: o for o in q["options"]}
    assert [opts[i]["allowed"] for i in range(4)] == [True, False, False, True], str(r)
    assert any("not allowed by the policy" in x for x in opts[1]["reasons"]), opts[1]
    assert any("not a known or allowed token" in x for x in opts[2]["reasons"]), opts[2]
    assert count_transfers(world, p.address) == 0


def test_quote_refusal_exit_code(world, purse):
    p = purse(base_config(world, maxPerRequest="0.005"))
    r = p.quote(world["sellerUrl"] + "/weather")
    print("\n", r)
    q = r.data
    assert q["wouldPay"] is False and q["chosen"] is None
    assert q["refusal"]["code"] == "policy.no_acceptable_option"
    assert count_transfers(world, p.address) == 0


def test_big_body_paid_in_full(world, purse):
    p = purse()
    r = p.fetch(world["sellerUrl"] + "/big?mib=3", timeout=120)
    assert_settled_on_chain(world, r, p.address, 10000)
    d = r.data
    assert d["truncated"] is False
    doc = json.loads(body_bytes(d))
    assert doc["size"] == 3 * 1024 * 1024 and len(doc["data"]) == doc["size"] - 64


def test_big_body_truncated_by_max_body_bytes(world, purse):
    cfg = base_config(world)
    cfg["http"] = {"maxBodyBytes": 1024 * 1024}
    p = purse(cfg)
    r = p.fetch(world["sellerUrl"] + "/big?mib=3", timeout=120)
    print("\n", r.rc, r.stderr[-500:])
    d = r.data
    assert d["status"] == 200 and d["truncated"] is True, str(r)[:3000]
    assert 0 < len(body_bytes(d)) <= 1024 * 1024
    # Truncating the body does not undo the payment: it settled and says so.
    assert count_transfers(world, p.address) == 1
    assert d["paid"] is True and d["payment"]["status"] == "settled"
    assert d["payment"]["transaction"].lower() in chain_tx_hashes(transfer_logs(world, p.address))


def test_payment_refused_by_facilitator_is_failed_and_released(world, purse):
    # /expensive costs 200 USDC; the payer holds 100, so the facilitator refuses at verify.
    p = purse(base_config(world, maxPerRequest="300", sessionBudget="300", dailyBudget="300"))
    r = p.fetch(world["sellerUrl"] + "/expensive")
    print("\n", r)
    assert r.rc == EXIT_PAYMENT, str(r)
    d = r.data
    assert d["outcome"] == "failed" and d["error"]["code"] == "payment.failed", str(r)
    assert "insufficient_balance" in d["error"]["message"], str(r)
    assert count_transfers(world, p.address) == 0 and p.balance() == 100_000_000
    rows = p.payments()
    assert [row_status(x) for x in rows] == ["failed"], rows
    # A failed payment is not charged: the whole daily budget is still there.
    b = p.run("budget", "--json")
    assert b.rc == EXIT_OK and float(b.data["daily"]["spent"]) == 0, str(b)


def test_request_flags_reach_the_server(world, purse):
    p = purse()
    seen0 = len(other_host_seen(world))
    r = p.run("fetch", world["otherHostUrl"] + "/collect?x=1", "-X", "POST", "-H", "X-Purse-Test: yes",
              "-H", "Content-Type: application/json", "-d", '{"hello":"world"}', "--json")
    assert r.rc == EXIT_OK, str(r)
    assert r.data["outcome"] == "not_required" and json.loads(r.data["body"])["collected"] is True
    new = other_host_seen(world)[seen0:]
    assert len(new) == 1, new
    assert {"x-purse-test", "content-type", "content-length"} <= {h.lower() for h in new[0]}, new
    assert count_transfers(world, p.address) == 0


def test_quote_v1_offer(world, purse):
    p = purse()
    r = p.quote(world["sellerUrl"] + "/v1/weather")
    assert r.rc == EXIT_OK, str(r)
    q = r.data
    assert q["x402Version"] == 1 and q["wouldPay"] is True and q["chosen"] == 0, str(r)
    assert q["options"][0]["amountAtomic"] == "10000" and q["options"][0]["network"] == world["network"], str(r)
    assert count_transfers(world, p.address) == 0


def test_single_attempt_dropped_is_unknown_and_not_resent(world, purse):
    cfg = base_config(world)
    cfg["payment"]["maxPaidAttempts"] = 1
    p = purse(cfg)
    before = drop_log(world)["nonces"]
    r = p.fetch(world["dropUrl"] + "/drop-once")
    after = drop_log(world)["nonces"][len(before):]
    print("\n", r)
    assert len(after) == 1, after  # sent once, never resent
    assert r.rc == EXIT_PAYMENT and r.data["outcome"] == "unknown", str(r)
    assert count_transfers(world, p.address) == 0 and p.balance() == 100_000_000
    rows = p.payments()
    assert [row_status(x) for x in rows] == ["unknown"], rows
    # Still valid and unused on chain: reconcile keeps it pending (and counted), it does not guess.
    rec = p.reconcile()
    assert rec.rc == EXIT_OK and "1 still pending" in rec.stdout, str(rec)


def test_bad_private_key_is_a_clear_error(world, purse):
    p = purse(fund=0)
    r = p.run("fetch", world["sellerUrl"] + "/weather", "--json", env=p.env(PURSE_PRIVATE_KEY="0x1234"))
    print("\n", r)
    assert r.rc == 1, str(r)
    assert "PURSE_PRIVATE_KEY" in (r.stderr + r.stdout), str(r)
    assert "0x1234" not in r.stderr, "the key material must not be echoed"
