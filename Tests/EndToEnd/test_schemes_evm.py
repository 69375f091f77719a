"""EVM schemes against the official SDK's seller and facilitator (`world.py --with svm,permit2`):
`upto` settled for less than its maximum, Permit2 `exact` with an allowance, without one (refused,
or paid through an EIP-2612 permit for exactly the amount), the unlimited-approval extension
refused, a mixed EVM/Solana offer, reconcile reading an `upto` transfer from the chain, and the
EVM rows of the hostile corpus (facilitator mismatches, unlimited or absurd amounts, permits the
token would refuse): in every case nothing is wrongly signed.

Each test pays from its own fresh key (funded through the world's faucets) unless it needs the
world's pre-approved Permit2 payer, and uses its own ledger.
"""

from __future__ import annotations

import base64
import json
import secrets
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from eth_account import Account
from jsonschema import Draft202012Validator

from conftest import REPO, start_world, stop_world
from purse_e2e import CliPayer, base_env, hexkey, ledger_rows, mint, run_purse
from worldlib import _pad, eth_call, rpc

pytestmark = [pytest.mark.filterwarnings("ignore:Client is deprecated"),
              pytest.mark.filterwarnings("ignore:TokenAccountOpts is deprecated")]

TRANSFER = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
SPEND_LOG_SCHEMA = Draft202012Validator(json.loads((REPO / "schemas/spend-log.schema.json").read_text()))


def _keccak_topic(sig: str) -> str:
    from eth_utils import keccak
    return "0x" + keccak(text=sig).hex()


APPROVAL = _keccak_topic("Approval(address,address,uint256)")


# ---- the world ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sw():
    """A world with the Permit2/upto pieces (and Solana, for the mixed offer)."""
    with tempfile.TemporaryDirectory(prefix="purse-world-schemes-evm-") as d:
        proc, world, wall = start_world(Path(d) / "world.json", extra=["--with", "svm,permit2"])
        try:
            print(f"\nschemes world ready in {wall:.2f} s")
            yield world
        finally:
            stop_world(proc)


def token_balance(world: dict, token: str, addr: str) -> int:
    return int(eth_call(world, token, "0x70a08231" + _pad(addr)), 16)


def allowance(world: dict, token: str, owner: str, spender: str) -> int:
    return int(eth_call(world, token, "0xdd62ed3e" + _pad(owner) + _pad(spender)), 16)


def wait_receipt(world: dict, tx: str, timeout: float = 15) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        r = rpc(world, "eth_getTransactionReceipt", [tx])
        if r:
            return r
        time.sleep(0.1)
    raise TimeoutError(f"no receipt for {tx}")


def mint_token(world: dict, token: str, to: str, atomic: int) -> None:
    r = wait_receipt(world, rpc(world, "world_mintToken", [token, to, str(atomic)]))
    assert int(r["status"], 16) == 1, r


def logs_in(world: dict, tx: str, topic: str, token: str) -> list[dict]:
    """The `topic` logs of `token` in transaction `tx`'s receipt."""
    r = wait_receipt(world, tx)
    return [lg for lg in r["logs"] if lg["address"].lower() == token.lower() and lg["topics"][0].lower() == topic]


def addr_topic(a: str) -> str:
    return "0x" + _pad(a)


class Payer(CliPayer):
    """A key, its config and ledger: one test's purse."""

    def __init__(self, purse_bin, world: dict, tmp: Path, key: str, *, policy: dict | None = None):
        self.bin, self.world, self.tmp, self.key = purse_bin, world, Path(tmp), hexkey(key)
        self.address = Account.from_key(self.key).address
        self.db = self.tmp / "purse.db"
        self.config = self.tmp / "config.json"
        p = world["permit2"]
        cfg = {
            "networks": {world["network"]: {"rpcUrl": world["rpcUrl"], "assets": [
                {"address": world["token"], "name": world["tokenName"], "version": world["tokenVersion"], "decimals": 6, "symbol": "USDC"},
                {"address": p["permitToken"], "name": p["permitTokenName"], "version": p["permitTokenVersion"], "decimals": 6,
                 "symbol": p["permitTokenSymbol"]},
                {"address": p["plainToken"], "name": p["plainTokenName"], "version": "1", "decimals": 6, "symbol": p["plainTokenSymbol"]},
            ]}},
            "policy": {"maxPerRequest": "0.10", "sessionBudget": "1.00", "dailyBudget": "5.00", "allowNetworks": [world["network"]],
                       **(policy or {})},
            "payment": {"validityCeilingSeconds": 300, "maxPaidAttempts": 3},
            "http": {"timeoutMs": 20000},
        }
        self.config.write_text(json.dumps(cfg, indent=2))
        self.env = base_env(self.tmp, self.key)

    def run(self, *args: str, env: dict | None = None, timeout: float = 90):
        return run_purse(self.bin, list(args), {**self.env, **(env or {})}, config=self.config, db=self.db, timeout=timeout)

    def spend_log(self) -> dict:
        r = self.run("spend-log", "--format", "json")
        assert r.rc == 0, r
        doc = r.json()
        errors = sorted(SPEND_LOG_SCHEMA.iter_errors(doc), key=str)
        assert not errors, f"spend-log JSON breaks its schema: {errors[0]}"
        return doc

    def rows(self) -> list[dict]:
        return ledger_rows(self.db)


def fresh(purse_bin, world, tmp, *, pusd: int = 0, plain: int = 0, usdc: int = 0, **kw) -> Payer:
    acct = Account.create()
    p = world["permit2"]
    if pusd:
        mint_token(world, p["permitToken"], acct.address, pusd)
    if plain:
        mint_token(world, p["plainToken"], acct.address, plain)
    if usdc:
        r = mint(world, acct.address, str(usdc))
        assert int(r["status"], 16) == 1
    return Payer(purse_bin, world, tmp, hexkey(acct.key), **kw)


def approved(purse_bin, world, tmp, **kw) -> Payer:
    """The world's payer whose Permit2 allowance is unlimited on PUSD and PLAIN."""
    return Payer(purse_bin, world, tmp, world["permit2"]["approvedPayer"]["privateKey"], **kw)


# ---- upto -------------------------------------------------------------------------------------------

def test_upto_max_005_settles_0_0123_and_frees_the_rest_at_once(sw, purse_bin, tmp_path):
    # A daily budget of 0.07 admits a second upto (max 0.05) only if the first one's unused 0.0377
    # was released when it settled: 0.0123 + 0.05 ≤ 0.07, while 0.05 + 0.05 would not be.
    me = approved(purse_bin, sw, tmp_path, policy={"dailyBudget": "0.07"})
    p = sw["permit2"]
    url = sw["sellerUrl"] + sw["schemeEndpoints"]["uptoInfer"]
    seller = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
    payee_before, payer_before = token_balance(sw, p["permitToken"], seller), token_balance(sw, p["permitToken"], me.address)

    q = me.quote(url)
    assert q["wouldPay"] and q["options"][0]["scheme"] == "upto" and q["options"][0]["transferMethod"] == "permit2"
    assert q["options"][0]["amount"] == "0.05"

    txs = []
    for n in (1, 2):
        r, out = me.fetch(url)
        assert r.rc == 0 and out["outcome"] == "paid", r
        pay = out["payment"]
        assert pay["amount"] == "0.0123" and pay["amountAtomic"] == "12300" and pay["maxAmount"] == "0.05", pay
        assert pay["scheme"] == "upto" and pay["transferMethod"] == "permit2" and pay["amountSource"] == "receipt"
        # Budgets count the charge: the maximum is not held once settled.
        assert out["budget"]["daily"]["spent"] == f"{0.0123 * n:.4f}"
        txs.append(pay["transaction"])

    rows = me.rows()
    assert [(r["status"], r["scheme"], r["amount_atomic"], r["micros"], r["max_amount_atomic"], r["authorization_kind"],
             r["amount_source"]) for r in rows] == [("settled", "upto", 12300, 12300, 50000, "permit2", "receipt")] * 2
    log = me.spend_log()
    assert [(x["amount"], x["maxAmount"], x["scheme"], x["authorization"]) for x in log["payments"]] == [("0.0123", "0.05", "upto", "permit2")] * 2
    assert log["totals"]["settled"] == "0.0246" and log["totals"]["pending"] == "0"
    b = me.run("budget", "--json")
    assert b.rc == 0 and "0.0246" in b.stdout, b

    # The chain moved exactly 12300 per payment, from the payer to the seller, and nothing else.
    for tx in txs:
        moved = logs_in(sw, tx, TRANSFER, p["permitToken"])
        assert [(lg["topics"][1], lg["topics"][2], int(lg["data"], 16)) for lg in moved] == [
            (addr_topic(me.address).lower(), addr_topic(seller).lower(), 12300)]
    assert token_balance(sw, p["permitToken"], seller) - payee_before == 24600
    assert payer_before - token_balance(sw, p["permitToken"], me.address) == 24600

    # A third would cross the daily budget at its maximum (0.0246 + 0.05 > 0.07): refused, unsigned.
    r, out = me.fetch(url)
    assert r.rc == 3 and out["error"]["code"] == "budget.daily_exceeded", r
    assert len(me.rows()) == 2


@pytest.mark.fault_injection
def test_reconcile_reads_an_upto_transfer_from_the_chain(sw, purse_bin, tmp_path):
    """Killed after the paid answer arrived but before it was recorded: the row stays `sent` at
    the maximum; reconcile finds the nonce used in Permit2's bitmap and charges the transfer."""
    me = approved(purse_bin, sw, tmp_path)
    url = sw["sellerUrl"] + sw["schemeEndpoints"]["uptoInfer"]
    r, _ = me.fetch(url, env={"PURSE_FAULT_KILL_AT": "answered"})
    assert r.rc == -9, r
    [row] = me.rows()
    assert row["status"] == "sent" and row["amount_atomic"] == 50000 and row["micros"] == 50000
    rec = me.run("reconcile")
    assert rec.rc == 0, rec
    [row] = me.rows()
    assert row["status"] == "settled" and row["amount_atomic"] == 12300 and row["micros"] == 12300, row
    assert row["amount_source"] == "chain" and row["max_amount_atomic"] == 50000 and row["tx_hash"], row
    moved = logs_in(sw, row["tx_hash"], TRANSFER, sw["permit2"]["permitToken"])
    assert [int(lg["data"], 16) for lg in moved] == [12300]


# ---- Permit2 exact ------------------------------------------------------------------------------------

def test_permit2_exact_pays_with_an_existing_allowance(sw, purse_bin, tmp_path):
    me = approved(purse_bin, sw, tmp_path)
    p = sw["permit2"]
    before = token_balance(sw, p["plainToken"], me.address)
    r, out = me.fetch(sw["sellerUrl"] + sw["schemeEndpoints"]["permit2Weather"])
    assert r.rc == 0 and out["outcome"] == "paid", r
    assert out["payment"]["transferMethod"] == "permit2" and out["payment"]["scheme"] == "exact" and out["payment"]["amount"] == "0.01"
    assert before - token_balance(sw, p["plainToken"], me.address) == 10000
    [row] = me.rows()
    assert row["status"] == "settled" and row["authorization_kind"] == "permit2" and row["max_amount_atomic"] is None
    sent = json.loads(row["signed_payload"])
    auth = sent["payload"]["permit2Authorization"]
    assert auth["spender"] == p["exactProxy"] and auth["permitted"] == {"token": p["plainToken"], "amount": "10000"}
    assert int(auth["nonce"]) == int(row["nonce"], 16)  # the ledger's reference is the signed nonce
    assert "extensions" not in sent or "eip2612GasSponsoring" not in sent.get("extensions", {})


def test_permit2_without_an_allowance_refuses_and_signs_nothing(sw, purse_bin, tmp_path):
    me = fresh(purse_bin, sw, tmp_path, plain=1_000_000)
    url = sw["sellerUrl"] + sw["schemeEndpoints"]["permit2Weather"]
    q = me.quote(url)
    assert q["wouldPay"] is False and q["refusal"]["code"] == "permit2.allowance_required"
    assert q["options"][0]["reasonCodes"] == ["permit2.allowance_required"] and q["options"][0]["verdict"] == "refused"
    r, out = me.fetch(url)
    assert r.rc == 3 and out["outcome"] == "refused" and out["error"]["code"] == "permit2.allowance_required", r
    assert "approve(0x000000000022D473030F116dDEE9F6B43aC78BA3" in out["error"]["message"]
    assert "payment" not in out and me.rows() == []
    assert token_balance(sw, sw["permit2"]["plainToken"], me.address) == 1_000_000


def test_permit2_pays_through_an_eip2612_permit_for_exactly_the_amount(sw, purse_bin, tmp_path):
    me = fresh(purse_bin, sw, tmp_path, pusd=1_000_000)
    p = sw["permit2"]
    assert allowance(sw, p["permitToken"], me.address, p["permit2"]) == 0
    r, out = me.fetch(sw["sellerUrl"] + sw["schemeEndpoints"]["permit2Weather2612"])
    assert r.rc == 0 and out["outcome"] == "paid", r
    tx = out["payment"]["transaction"]
    # The settling transaction approved Permit2 for exactly 0.01 and moved exactly 0.01.
    approvals = logs_in(sw, tx, APPROVAL, p["permitToken"])
    assert [(lg["topics"][1], lg["topics"][2], int(lg["data"], 16)) for lg in approvals][0] == (
        addr_topic(me.address).lower(), addr_topic(p["permit2"]).lower(), 10000)
    assert [int(lg["data"], 16) for lg in logs_in(sw, tx, TRANSFER, p["permitToken"])] == [10000]
    assert allowance(sw, p["permitToken"], me.address, p["permit2"]) == 0  # nothing left to spend
    assert token_balance(sw, p["permitToken"], me.address) == 990_000
    # What was sent: the permit in the declared extension, next to the server's own fields.
    [row] = me.rows()
    info = json.loads(row["signed_payload"])["extensions"]["eip2612GasSponsoring"]["info"]
    assert info["amount"] == "10000" and info["spender"] == p["permit2"] and info["from"] == me.address
    assert info["nonce"] == "0" and info["version"] == "1"


def test_an_unlimited_approval_is_refused_with_a_reason(sw, purse_bin, tmp_path):
    me = fresh(purse_bin, sw, tmp_path, plain=1_000_000)
    r, out = me.fetch(sw["sellerUrl"] + sw["schemeEndpoints"]["permit2WeatherApproval"])
    assert r.rc == 3 and out["error"]["code"] == "permit2.unlimited_approval_refused", r
    assert "unlimited approval" in out["error"]["message"] and "approve(0x000000000022D473030F116dDEE9F6B43aC78BA3" in out["error"]["message"]
    assert me.rows() == []
    assert allowance(sw, sw["permit2"]["plainToken"], me.address, sw["permit2"]["permit2"]) == 0


# ---- selection across schemes and networks ---------------------------------------------------------------

def test_mixed_evm_cheaper_picks_evm(sw, purse_bin, tmp_path):
    me = fresh(purse_bin, sw, tmp_path, usdc=1_000_000)
    url = sw["sellerUrl"] + "/mixed-evm-cheaper"
    q = me.quote(url)
    assert q["chosen"] == 0 and q["options"][0]["network"] == sw["network"] and q["options"][0]["verdict"] == "chosen"
    assert q["options"][0]["budgetAmount"] == "0.01" and q["options"][1]["network"].startswith("solana:")
    r, out = me.fetch(url)
    assert r.rc == 0 and out["outcome"] == "paid", r
    assert out["payment"]["network"] == sw["network"] and out["payment"]["asset"] == sw["token"]
    assert out["payment"]["transferMethod"] == "eip3009" and out["payment"]["amount"] == "0.01"


# ---- hostile shapes (EVM rows of the corpus) -----------------------------------------------------------

class Hostile:
    """A seller of hand-made EVM offers. A paid request is verified by the world's facilitator
    (so a permit that names another facilitator is refused as a real seller would refuse it) and
    logged, so a test can count what Purse signed."""

    def __init__(self, world: dict):
        self.world = world
        self.offers: dict[str, dict] = {}
        self.signed: dict[str, list[dict]] = {}
        self.lies: dict[str, dict] = {}  # route → {"settle": atomic, "claim": atomic}
        self.lock = threading.Lock()
        hostile = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                route = self.path.split("?")[0]
                offer = hostile.offers.get(route)
                if offer is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                header = self.headers.get("PAYMENT-SIGNATURE")
                if header is None:
                    return self.reply(402, {"PAYMENT-REQUIRED": base64.b64encode(json.dumps(offer).encode()).decode()})
                payload = json.loads(base64.b64decode(header))
                with hostile.lock:
                    hostile.signed.setdefault(route, []).append(payload)
                lie = hostile.lies.get(route)
                if lie is not None:
                    # Settle the actual amount through the real facilitator, then claim another.
                    req = {**payload["accepted"], "amount": lie["settle"]}
                    body = {"x402Version": 2, "paymentPayload": payload, "paymentRequirements": payload["accepted"]}
                    v = httpx.post(hostile.world["facilitatorUrl"] + "/verify", json=body, timeout=30).json()
                    assert v.get("isValid"), v
                    st = httpx.post(hostile.world["facilitatorUrl"] + "/settle", timeout=60,
                                    json={**body, "paymentRequirements": req}).json()
                    receipt = {"success": st.get("success", False), "transaction": st.get("transaction", ""),
                               "network": payload["accepted"]["network"], "amount": lie["claim"]}
                    return self.reply(200, {"PAYMENT-RESPONSE": base64.b64encode(json.dumps(receipt).encode()).decode()})
                v = httpx.post(hostile.world["facilitatorUrl"] + "/verify", timeout=30, json={
                    "x402Version": 2, "paymentPayload": payload, "paymentRequirements": payload["accepted"]}).json()
                receipt = {"success": False, "errorReason": v.get("invalidReason") or "settlement refused", "transaction": "",
                           "network": payload["accepted"]["network"]}
                self.reply(402, {"PAYMENT-RESPONSE": base64.b64encode(json.dumps(receipt).encode()).decode()})

            def reply(self, status: int, headers: dict):
                body = b"{}"
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def add(self, route: str, accepts: list[dict], extensions: dict | None = None) -> str:
        offer = {"x402Version": 2, "error": "Payment required", "resource": {"url": self.base + route}, "accepts": accepts}
        if extensions:
            offer["extensions"] = extensions
        self.offers[route] = offer
        return self.base + route

    def stop(self):
        self.server.shutdown()


@pytest.fixture(scope="module")
def hostile(sw):
    h = Hostile(sw)
    yield h
    h.stop()


def option(world: dict, *, scheme="exact", amount="10000", token=None, extra=None) -> dict:
    p = world["permit2"]
    return {"scheme": scheme, "network": world["network"], "amount": amount, "asset": token or p["permitToken"],
            "payTo": "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "maxTimeoutSeconds": 120, "extra": extra or {}}


def upto_extra(world: dict, facilitator: str) -> dict:
    p = world["permit2"]
    return {"name": p["permitTokenName"], "version": p["permitTokenVersion"], "assetTransferMethod": "permit2",
            "facilitatorAddress": facilitator}


def hostile_cases(world: dict, payer: str) -> dict[str, tuple[list[dict], dict | None, str]]:
    """route → (accepts, extensions, the error code Purse must answer with before signing)."""
    p = world["permit2"]
    eip2612 = {"eip2612GasSponsoring": {"info": {"description": "gasless approval", "version": "1"}, "schema": {"type": "object"}}}
    return {
        # facilitatorAddress mismatches
        "/upto/facilitator-bad-checksum": ([option(world, scheme="upto", amount="50000",
                                                   extra=upto_extra(world, p["wrongFacilitator"]))], None, "option.upto_facilitator_invalid"),
        "/upto/facilitator-is-payer": ([option(world, scheme="upto", amount="50000", extra=upto_extra(world, payer))], None,
                                       "option.upto_facilitator_invalid"),
        "/upto/facilitator-is-permit2": ([option(world, scheme="upto", amount="50000", extra=upto_extra(world, p["permit2"]))], None,
                                         "option.upto_facilitator_invalid"),
        "/upto/facilitator-is-zero": ([option(world, scheme="upto", amount="50000", extra=upto_extra(world, "0x" + "0" * 40))], None,
                                      "option.upto_facilitator_invalid"),
        "/upto/no-facilitator": ([option(world, scheme="upto", amount="50000", extra={"assetTransferMethod": "permit2"})], None,
                                 "option.upto_facilitator_missing"),
        # unlimited and absurd amounts
        "/permit2/unlimited-amount": ([option(world, amount=str(2**256 - 1), extra={"assetTransferMethod": "permit2"})], None,
                                      "x402."),
        "/upto/absurd-maximum": ([option(world, scheme="upto", amount=str(10**18), extra=upto_extra(world, world["facilitator"]))], None,
                                 "option.over_cap"),
        "/upto/fractional-maximum": ([option(world, scheme="upto", amount="0.05", extra=upto_extra(world, world["facilitator"]))], None,
                                     "x402."),
        "/permit2/approval-only": ([option(world, token=p["plainToken"], extra={"assetTransferMethod": "permit2"})],
                                   {"erc20ApprovalGasSponsoring": {"info": {"version": "1"}}}, "permit2.unlimited_approval_refused"),
        # permits the token would refuse: PLAIN has no EIP-2612; a wrong domain name for PUSD
        "/permit2/2612-on-plain-token": ([option(world, token=p["plainToken"], extra={"name": "Plain USD", "version": "1",
                                                                                        "assetTransferMethod": "permit2"})],
                                         eip2612, "permit2.eip2612_unsupported"),
        "/permit2/2612-wrong-domain": ([option(world, extra={"name": "Permit USDC", "version": "1", "assetTransferMethod": "permit2"})],
                                       eip2612, "permit2.eip2612_domain_mismatch"),
        # a flow upto cannot honour
        "/upto/upfront": ([option(world, scheme="upto", amount="50000", extra={**upto_extra(world, world["facilitator"]),
                                                                                "paymentFlow": "upfront"})], None, "option.payment_flow_unsupported"),
    }


def test_hostile_evm_shapes_are_refused_before_signing(sw, purse_bin, tmp_path, hostile):
    me = fresh(purse_bin, sw, tmp_path, pusd=1_000_000, plain=1_000_000)
    results = {}
    for route, (accepts, extensions, code) in hostile_cases(sw, me.address).items():
        url = hostile.add(route, accepts, extensions)
        r, out = me.fetch(url)
        got = (out or {}).get("error", {}).get("code")
        assert r.rc == 3 and out["outcome"] == "refused", (route, r)
        # A shape the policy refuses outright ends in policy.no_acceptable_option, its own code on
        # the option (quote's reasonCodes); one refused after asking the chain ends in its own code.
        codes = [c for o in me.quote(url)["options"] for c in o["reasonCodes"]]
        matches = lambda c: c == code or (code.endswith(".") and c.startswith(code))
        assert matches(got) or (got == "policy.no_acceptable_option" and any(map(matches, codes))), (route, got, codes)
        results[route] = codes or [got]
        assert hostile.signed.get(route, []) == [], f"{route}: a payment was signed and sent"
    assert me.rows() == []
    assert token_balance(sw, sw["permit2"]["permitToken"], me.address) == 1_000_000
    assert token_balance(sw, sw["permit2"]["plainToken"], me.address) == 1_000_000
    print("\nhostile EVM shapes:", json.dumps(results, indent=1))


def test_a_well_formed_facilitator_mismatch_is_signed_once_and_moves_nothing(sw, purse_bin, tmp_path, hostile):
    """A facilitator address Purse cannot tell from the real one: Purse signs once (for at most the
    maximum, to the payee only), the real facilitator refuses it, nothing moves, the reservation is
    released, and Purse does not sign again."""
    me = approved(purse_bin, sw, tmp_path)
    p = sw["permit2"]
    stranger = Account.create().address
    url = hostile.add("/upto/unknown-facilitator", [option(sw, scheme="upto", amount="50000", extra=upto_extra(sw, stranger))])
    before = token_balance(sw, p["permitToken"], me.address)
    r, out = me.fetch(url)
    assert r.rc == 4 and out["outcome"] == "failed", r
    signed = hostile.signed["/upto/unknown-facilitator"]
    assert len(signed) == 1
    witness = signed[0]["payload"]["permit2Authorization"]["witness"]
    assert witness["facilitator"] == stranger and witness["to"] == "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
    assert signed[0]["payload"]["permit2Authorization"]["permitted"]["amount"] == "50000"
    [row] = me.rows()
    assert row["status"] == "failed" and "facilitator" in (row["error"] or "")
    assert token_balance(sw, p["permitToken"], me.address) == before
    log = me.spend_log()
    assert log["totals"]["settled"] == "0" and log["totals"]["pending"] == "0"
    # Reconcile re-checks the still-valid permit on Permit2's bitmap: unused, so it stays released.
    rec = me.run("reconcile")
    assert rec.rc == 0, rec
    assert me.rows()[0]["status"] == "failed"


def test_a_claim_above_the_maximum_is_flagged_and_reconcile_reads_the_real_transfer(sw, purse_bin, tmp_path, hostile):
    """The seller settles 0.0123 but its receipt claims 0.09, above the 0.05 signed: impossible on
    chain, so Purse counts the maximum (never more), says why, and reconcile replaces it with the
    amount the chain moved."""
    me = approved(purse_bin, sw, tmp_path)
    p = sw["permit2"]
    hostile.lies["/upto/overclaim"] = {"settle": "12300", "claim": "90000"}
    url = hostile.add("/upto/overclaim", [option(sw, scheme="upto", amount="50000", extra=upto_extra(sw, sw["facilitator"]))])
    before = token_balance(sw, p["permitToken"], me.address)
    r, out = me.fetch(url)
    assert r.rc == 0 and out["outcome"] == "paid", r
    pay = out["payment"]
    assert pay["amount"] == "0.05" and pay["maxAmount"] == "0.05" and pay["amountSource"] == "maximum", pay
    assert "above the signed maximum" in pay["amountNote"]
    assert before - token_balance(sw, p["permitToken"], me.address) == 12300
    [row] = me.rows()
    assert row["amount_atomic"] == 50000 and row["amount_source"] == "maximum"
    rec = me.run("reconcile")
    assert rec.rc == 0, rec
    [row] = me.rows()
    assert row["status"] == "settled" and row["amount_atomic"] == 12300 and row["micros"] == 12300 and row["amount_source"] == "chain", row
    assert me.spend_log()["payments"][0]["amount"] == "0.0123"
