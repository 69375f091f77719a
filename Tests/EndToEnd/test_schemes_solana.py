"""Solana `exact` against the official SDK's SVM facilitator and seller on LiteSVM
(`world.py --with svm`): a paid fetch settles (the payee's token balance read through the shim),
Token-2022 works, a replay is refused by the facilitator while Purse signed once, reconcile finds
a Solana payment after a crash and after an ambiguous answer, a mixed EVM/Solana offer picks the
cheapest allowed, and the Solana rows of the hostile corpus (tampered mint, payee and fee payer;
requested instructions, absurd compute prices, malformed memos) are refused before signing.

Each test pays from its own fresh Solana keypair (minted by the world) and uses its own ledger.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from eth_account import Account
from jsonschema import Draft202012Validator

import schemes_selfcheck as sc
from conftest import REPO, start_world, stop_world
from offers import OFFER_RECEIPT, sign_offer
from purse_e2e import CliPayer, base_env, hexkey, ledger_rows, mint, run_purse

pytestmark = [pytest.mark.filterwarnings("ignore:Client is deprecated"),
              pytest.mark.filterwarnings("ignore:TokenAccountOpts is deprecated")]

SPEND_LOG_SCHEMA = Draft202012Validator(json.loads((REPO / "schemas/spend-log.schema.json").read_text()))
BALANCE_SCHEMA = Draft202012Validator(json.loads((REPO / "schemas/tools/wallet_balance.output.schema.json").read_text()))


@pytest.fixture(scope="module")
def sw(tmp_path_factory):
    d = tmp_path_factory.mktemp("world-svm")
    proc, world, wall = start_world(d / "world.json", extra=["--with", "svm"])
    try:
        print(f"\nsvm world ready in {wall:.2f} s")
        yield world
    finally:
        stop_world(proc)


def ata_amount(world: dict, ata: str) -> int:
    return sc.svm_token_amount(world, ata)


class Payer(CliPayer):
    """A fresh Solana keypair (funded with both mints), an EVM key, their config and ledger."""

    def __init__(self, purse_bin, world: dict, tmp: Path, *, policy: dict | None = None, evm_usdc: int = 0,
                 key_in_env: bool = False, extra_assets: list[dict] | None = None, network: dict | None = None):
        self.bin, self.world, self.tmp = purse_bin, world, Path(tmp)
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.kp, self.usdc_ata, self.t22_ata = sc.svm_fresh_payer(world)
        self.address = str(self.kp.pubkey())
        self.secret_b58 = str(self.kp)
        self.keyfile = self.tmp / "solana-key.json"
        self.keyfile.write_text(json.dumps(list(bytes(self.kp))))
        os.chmod(self.keyfile, 0o600)
        evm = Account.create()
        if evm_usdc:
            mint(world, evm.address, str(evm_usdc))
        self.evm_address = evm.address
        self.db = self.tmp / "purse.db"
        self.config = self.tmp / "config.json"
        s = world["svm"]
        cfg = {
            "key": {} if key_in_env else {"solana": {"file": str(self.keyfile)}},
            "networks": {
                world["network"]: {"rpcUrl": world["rpcUrl"], "assets": [
                    {"address": world["token"], "name": world["tokenName"], "version": world["tokenVersion"], "decimals": 6, "symbol": "USDC"}]},
                s["network"]: {"rpcUrl": s["rpcUrl"], **(network or {}), "assets": [
                    {"address": s["token2022Mint"], "decimals": 6, "symbol": "T22"}, *(extra_assets or [])]},
            },
            "policy": {"maxPerRequest": "0.10", "sessionBudget": "1.00", "dailyBudget": "5.00",
                       "allowNetworks": [world["network"], s["network"]], **(policy or {})},
            "payment": {"validityCeilingSeconds": 300, "maxPaidAttempts": 3},
            "http": {"timeoutMs": 20000},
        }
        if key_in_env:
            del cfg["key"]
        self.config.write_text(json.dumps(cfg, indent=2))
        extra = {"PURSE_SOLANA_KEY": self.secret_b58} if key_in_env else {}
        self.env = base_env(self.tmp, hexkey(evm.key), **extra)
        self.outputs: list[str] = []

    def run(self, *args: str, env: dict | None = None, timeout: float = 60):
        r = run_purse(self.bin, list(args), {**self.env, **(env or {})}, config=self.config, db=self.db, timeout=timeout)
        self.outputs += [r.stdout, r.stderr]
        return r

    def rows(self) -> list[dict]:
        return ledger_rows(self.db)

    def assert_key_never_shown(self):
        """Neither form of the secret key appears in anything purse printed."""
        secret_bytes = json.dumps(list(bytes(self.kp)))[1:40]
        for text in self.outputs:
            assert self.secret_b58 not in text and secret_bytes not in text


def signed_transaction(row: dict):
    from solders.transaction import VersionedTransaction

    sent = json.loads(row["signed_payload"])
    return VersionedTransaction.from_bytes(base64.b64decode(sent["payload"]["transaction"]))


# ---- paying --------------------------------------------------------------------------------------

def test_a_paid_fetch_settles_on_litesvm(sw, purse_bin, tmp_path):
    s = sw["svm"]
    me = Payer(purse_bin, sw, tmp_path)
    url = sw["sellerUrl"] + sw["schemeEndpoints"]["solWeather"]
    assert me.run("address", "--network", s["network"]).stdout.strip() == me.address

    q = me.quote(url)
    assert q["wouldPay"] and q["options"][0]["network"] == s["network"] and q["options"][0]["transferMethod"] == "spl", q
    seller_before, payer_before = ata_amount(sw, s["sellerUsdcAta"]), ata_amount(sw, me.usdc_ata)
    r, out = me.fetch(url)
    assert r.rc == 0 and out["outcome"] == "paid", r
    pay = out["payment"]
    assert pay["network"] == s["network"] and pay["asset"] == s["usdcMint"] and pay["payTo"] == s["seller"], pay
    assert pay["amount"] == "0.01" and pay["scheme"] == "exact" and pay["transferMethod"] == "spl", pay
    assert ata_amount(sw, s["sellerUsdcAta"]) - seller_before == 10000
    assert payer_before - ata_amount(sw, me.usdc_ata) == 10000

    [row] = me.rows()
    assert row["status"] == "settled" and row["authorization_kind"] == "solana" and row["payer"] == me.address, row
    assert row["tx_hash"] == pay["transaction"]
    tx = signed_transaction(row)
    # The ledger named the message before signing; the signed one is exactly it, signed by the
    # payer in slot 1, with the fee payer's slot left to the facilitator.
    assert row["nonce"] == "0x" + hashlib.sha256(b"\x80" + bytes(tx.message)).hexdigest()  # a v0 message: 0x80 first
    assert str(tx.message.account_keys[0]) == s["feePayer"] and str(tx.message.account_keys[1]) == me.address
    assert tx.signatures[0] == type(tx.signatures[0]).default()
    assert tx.signatures[1].verify(me.kp.pubkey(), b"\x80" + bytes(tx.message))
    # The chain's record of it: the facilitator's id, our signature, +10000 to the seller.
    got = sc.svm_rpc(sw, "getTransaction", [pay["transaction"], {"encoding": "json", "maxSupportedTransactionVersion": 0}])
    assert got["transaction"]["signatures"][1] == str(tx.signatures[1]) and got["meta"]["err"] is None

    log = me.run("spend-log", "--format", "json")
    doc = log.json()
    assert not sorted(SPEND_LOG_SCHEMA.iter_errors(doc), key=str)
    [p] = doc["payments"]
    assert p["authorization"] == "solana" and p["network"] == s["network"] and p["payer"] == me.address and p["amount"] == "0.01"
    assert doc["totals"]["settled"] == "0.01"
    b = me.run("balance", "--network", s["network"], "--json")
    assert b.rc == 0, b
    bal = b.json()
    assert not sorted(BALANCE_SCHEMA.iter_errors(bal), key=str)
    assert bal["solanaAddress"] == me.address
    by_asset = {x["asset"]: x["amountAtomic"] for x in bal["balances"]}
    assert by_asset == {s["usdcMint"]: str(10**6 - 10000), s["token2022Mint"]: str(10**6)}, bal
    me.assert_key_never_shown()


def test_token_2022_mint_pays_with_the_key_from_the_environment(sw, purse_bin, tmp_path):
    s = sw["svm"]
    me = Payer(purse_bin, sw, tmp_path, key_in_env=True)
    before = ata_amount(sw, s["sellerToken2022Ata"])
    r, out = me.fetch(sw["sellerUrl"] + sw["schemeEndpoints"]["solWeather2022"])
    assert r.rc == 0 and out["outcome"] == "paid", r
    assert out["payment"]["asset"] == s["token2022Mint"]
    assert ata_amount(sw, s["sellerToken2022Ata"]) - before == 10000
    assert ata_amount(sw, me.t22_ata) == 10**6 - 10000
    tx = signed_transaction(me.rows()[0])
    program = tx.message.account_keys[tx.message.instructions[2].program_id_index]
    assert str(program) == s["token2022Program"]
    me.assert_key_never_shown()


def test_mixed_offer_pays_the_cheapest_allowed_across_chains(sw, purse_bin, tmp_path):
    s = sw["svm"]
    me = Payer(purse_bin, sw, tmp_path, evm_usdc=1_000_000)
    # /mixed: EVM 0.02, Solana 0.01 → Solana; /mixed-evm-cheaper: EVM 0.01, Solana 0.02 → EVM.
    q = me.quote(sw["sellerUrl"] + "/mixed")
    chosen = q["options"][q["chosen"]]
    assert chosen["network"] == s["network"] and chosen["budgetAmount"] == "0.01"
    assert sorted(o["verdict"] for o in q["options"]) == ["allowed", "chosen"]
    before = ata_amount(sw, s["sellerUsdcAta"])
    r, out = me.fetch(sw["sellerUrl"] + "/mixed")
    assert r.rc == 0 and out["payment"]["network"] == s["network"], r
    assert ata_amount(sw, s["sellerUsdcAta"]) - before == 10000
    r, out = me.fetch(sw["sellerUrl"] + "/mixed-evm-cheaper")
    assert r.rc == 0 and out["payment"]["network"] == sw["network"] and out["payment"]["transferMethod"] == "eip3009", r
    # One budget in one unit across both chains (each `purse fetch` is its own session).
    assert out["budget"]["daily"]["spent"] == "0.02" and out["budget"]["session"]["spent"] == "0.01", out["budget"]
    # Without Solana allowed, /mixed pays the dearer EVM option: the policy decides, not the price.
    me2 = Payer(purse_bin, sw, tmp_path / "evm-only", evm_usdc=1_000_000, policy={"allowNetworks": [sw["network"]]})
    q = me2.quote(sw["sellerUrl"] + "/mixed")
    verdicts = {o["network"]: o for o in q["options"]}
    assert verdicts[s["network"]]["reasonCodes"] == ["option.network_not_allowed"]
    assert verdicts[sw["network"]]["verdict"] == "chosen"


@pytest.mark.fault_injection
def test_a_solana_payment_signed_before_a_crash_is_reconciled(sw, purse_bin, tmp_path):
    """Killed once the paid answer arrived, before it was recorded: the row stays `sent`; reconcile
    finds the transaction through the payer's token account and settles it."""
    s = sw["svm"]
    me = Payer(purse_bin, sw, tmp_path)
    before = ata_amount(sw, s["sellerUsdcAta"])
    r, _ = me.fetch(sw["sellerUrl"] + sw["schemeEndpoints"]["solWeather"], env={"PURSE_FAULT_KILL_AT": "answered"})
    assert r.rc == -9, r
    [row] = me.rows()
    assert row["status"] == "sent" and row["tx_hash"] is None
    assert ata_amount(sw, s["sellerUsdcAta"]) - before == 10000
    rec = me.run("reconcile")
    assert rec.rc == 0, rec
    [row] = me.rows()
    assert row["status"] == "settled" and row["tx_hash"], row
    got = sc.svm_rpc(sw, "getTransaction", [row["tx_hash"], {"encoding": "json", "maxSupportedTransactionVersion": 0}])
    assert got["transaction"]["signatures"][1] == str(signed_transaction(row).signatures[1])


@pytest.mark.fault_injection
def test_a_crash_before_sending_leaves_a_counted_row_that_reconcile_does_not_settle(sw, purse_bin, tmp_path):
    """Killed after signing, before the row was marked sent: nothing left the process. The row
    (reserved, no payload) keeps counting until its window ends; reconcile neither settles it
    nor releases it early, and the seller got nothing."""
    s = sw["svm"]
    me = Payer(purse_bin, sw, tmp_path)
    before = ata_amount(sw, s["sellerUsdcAta"])
    r, _ = me.fetch(sw["sellerUrl"] + sw["schemeEndpoints"]["solWeather"], env={"PURSE_FAULT_KILL_AT": "signed"})
    assert r.rc == -9, r
    [row] = me.rows()
    assert row["status"] == "reserved" and row["signed_payload"] is None
    rec = me.run("reconcile")
    assert rec.rc == 0, rec
    assert me.rows()[0]["status"] == "reserved"
    assert ata_amount(sw, s["sellerUsdcAta"]) == before and ata_amount(sw, me.usdc_ata) == 10**6


# ---- hostile sellers -----------------------------------------------------------------------------

class Hostile:
    """A seller of hand-made Solana offers. A paid request is verified (and, for `settle` routes,
    settled) by the world's facilitator and logged, so a test can count what Purse signed.
    `flaky` routes settle the first payment and then answer 502, as a seller crashing after
    settling would."""

    def __init__(self, world: dict):
        self.world = world
        self.offers: dict[str, dict] = {}
        self.signed: dict[str, list[str]] = {}
        self.flaky: set[str] = set()
        self.lock = threading.Lock()
        hostile = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                route = self.path.split("?")[0]
                offer = hostile.offers.get(route)
                if offer is None:
                    return self.reply(404, {})
                header = self.headers.get("PAYMENT-SIGNATURE")
                if header is None:
                    return self.reply(402, {"PAYMENT-REQUIRED": base64.b64encode(json.dumps(offer).encode()).decode()})
                with hostile.lock:
                    hostile.signed.setdefault(route, []).append(header)
                    first = len(hostile.signed[route]) == 1
                payload = json.loads(base64.b64decode(header))
                body = {"x402Version": 2, "paymentPayload": payload, "paymentRequirements": payload["accepted"]}
                fac = hostile.world["facilitatorUrl"]
                v = httpx.post(fac + "/verify", json=body, timeout=30).json()
                if v.get("isValid") and route in hostile.flaky and first:
                    st = httpx.post(fac + "/settle", json=body, timeout=30).json()
                    assert st.get("success"), st
                    return self.reply(502, {})
                receipt = {"success": False, "errorReason": v.get("invalidReason") or "refused", "transaction": "",
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
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def add(self, route: str, accepts: list[dict], extensions: dict | None = None) -> str:
        url = f"http://127.0.0.1:{self.server.server_address[1]}{route}"
        offer = {"x402Version": 2, "error": "Payment required", "resource": {"url": url}, "accepts": accepts}
        if extensions:
            offer["extensions"] = extensions
        self.offers[route] = offer
        return url

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture(scope="module")
def hostile(sw):
    h = Hostile(sw)
    yield h
    h.stop()


def sol_option(world: dict, **over) -> dict:
    s = world["svm"]
    extra = {"feePayer": s["feePayer"], **over.pop("extra", {})}
    o = {"scheme": "exact", "network": s["network"], "amount": "10000", "asset": s["usdcMint"], "payTo": s["seller"],
         "maxTimeoutSeconds": 120, "extra": extra}
    o.update(over)
    return o


def test_a_replay_is_refused_by_the_facilitator_and_purse_signs_once(sw, purse_bin, tmp_path, hostile):
    """The seller settles the first send and answers 502; Purse resends the very same bytes (it
    signed once), the facilitator refuses the replay, the row is left `unknown`, and reconcile
    settles it from the chain. The tokens moved once."""
    s = sw["svm"]
    me = Payer(purse_bin, sw, tmp_path)
    hostile.flaky.add("/sol/flaky")
    url = hostile.add("/sol/flaky", [sol_option(sw)])
    before = ata_amount(sw, s["sellerUsdcAta"])
    r, out = me.fetch(url)
    assert out["outcome"] == "unknown", r
    sent = hostile.signed["/sol/flaky"]
    assert len(sent) == 2 and sent[0] == sent[1], "Purse signed a second transaction"
    assert ata_amount(sw, s["sellerUsdcAta"]) - before == 10000
    # The replay straight at the facilitator: refused (the transaction already ran).
    payload = json.loads(base64.b64decode(sent[0]))
    v = httpx.post(sw["facilitatorUrl"] + "/verify", timeout=30,
                   json={"x402Version": 2, "paymentPayload": payload, "paymentRequirements": payload["accepted"]}).json()
    assert v["isValid"] is False and v["invalidReason"] == "transaction_simulation_failed", v
    [row] = me.rows()
    assert row["status"] == "unknown"
    rec = me.run("reconcile")
    assert rec.rc == 0, rec
    [row] = me.rows()
    assert row["status"] == "settled" and row["tx_hash"], row
    assert ata_amount(sw, s["sellerUsdcAta"]) - before == 10000


def hostile_cases(world: dict, payer: str, base: str) -> dict[str, tuple[list[dict], dict | None, str]]:
    """route → (accepts, extensions, the error code Purse must answer with before signing)."""
    s = world["svm"]
    seller_key = "0x" + "22" * 32

    def signed(route: str, **tamper) -> tuple[list[dict], dict, str]:
        # The seller signed its true terms; the option on the wire says otherwise.
        true_terms = {"version": 1, "resourceUrl": base + route, "scheme": "exact", "network": s["network"],
                      "asset": s["usdcMint"], "payTo": s["seller"], "amount": "10000", "validUntil": 0}
        return ([sol_option(world, **tamper)], {OFFER_RECEIPT: {"info": {"offers": [sign_offer(seller_key, true_terms)]}}},
                "x402.")

    return {
        # tampered: another mint, payee or fee payer
        "/sol/mint-not-configured": ([sol_option(world, asset=s["hostile"]["unknownMint"])], None, "option.asset_unknown"),
        "/sol/mint-is-a-token-account": ([sol_option(world, asset=s["sellerUsdcAta"])], None, "solana.not_a_mint"),
        "/sol/mint-without-account": ([sol_option(world, asset=s["hostile"]["unknownMint"])], None, "solana.mint_not_found"),
        "/sol/signed-offer-other-payee": signed("/sol/signed-offer-other-payee", payTo=s["payers"][1]["address"]),
        "/sol/signed-offer-other-mint": signed("/sol/signed-offer-other-mint", asset=s["token2022Mint"]),
        "/sol/payee-not-an-address": ([sol_option(world, payTo="0xNotBase58")], None, "option.pay_to_invalid"),
        "/sol/fee-payer-is-payer": ([sol_option(world, extra={"feePayer": payer})], None, "solana.fee_payer_is_payer"),
        "/sol/fee-payer-missing": ([{**sol_option(world), "extra": {}}], None, "solana.fee_payer_missing"),
        "/sol/fee-payer-malformed": ([sol_option(world, extra={"feePayer": "not-a-key"})], None, "solana.bad_address"),
        # malformed transactions requested
        "/sol/extra-instructions": ([sol_option(world, extra={"instructions": [{"programId": s["tokenProgram"], "data": "AA=="}]})],
                                    None, "solana.instructions_requested"),
        "/sol/lighthouse": ([sol_option(world, extra={"lighthouse": True})], None, "solana.instructions_requested"),
        "/sol/long-memo": ([sol_option(world, extra={"memo": "x" * 300})], None, "solana.memo_too_long"),
        "/sol/memo-not-text": ([sol_option(world, extra={"memo": {"a": 1}})], None, "solana.bad_memo"),
        "/sol/memo-too-costly": ([sol_option(world, extra={"memo": "\U0001F600" * 60})], None, "solana.compute_limit_too_high"),
        "/sol/upto": ([sol_option(world, scheme="upto")], None, "option.scheme_unsupported"),
        "/sol/permit2": ([sol_option(world, extra={"assetTransferMethod": "permit2"})], None, "option.transfer_method_unsupported"),
        # absurd compute prices and amounts
        "/sol/compute-price-absurd": ([sol_option(world, extra={"computeUnitPrice": "18446744073709551615"})], None,
                                      "solana.compute_price_too_high"),
        "/sol/compute-price-over-cap": ([sol_option(world, extra={"computeUnitPrice": 5_000_001})], None, "solana.compute_price_too_high"),
        "/sol/compute-price-garbage": ([sol_option(world, extra={"computeUnitPrice": "fast"})], None, "solana.bad_compute_price"),
        "/sol/absurd-amount": ([sol_option(world, amount=str(10**18))], None, "option.over_cap"),
        "/sol/zero-amount": ([sol_option(world, amount="0")], None, "x402."),
    }


def test_hostile_solana_shapes_are_refused_before_signing(sw, purse_bin, tmp_path, hostile):
    s = sw["svm"]
    # The unknown mint is configured (so selection lets it through to the chain) only in the
    # "without account" case; the token account is configured as if it were a mint.
    plain = Payer(purse_bin, sw, tmp_path / "plain", extra_assets=[{"address": s["sellerUsdcAta"], "decimals": 6, "symbol": "ATA"}])
    lenient = Payer(purse_bin, sw, tmp_path / "lenient", extra_assets=[{"address": s["hostile"]["unknownMint"], "decimals": 6, "symbol": "NOPE"}])
    results = {}
    seller_before = ata_amount(sw, s["sellerUsdcAta"])
    base = f"http://127.0.0.1:{hostile.server.server_address[1]}"
    for route, (accepts, extensions, code) in hostile_cases(sw, plain.address, base).items():
        me = lenient if route == "/sol/mint-without-account" else plain
        url = hostile.add(route, accepts, extensions)
        r, out = me.fetch(url)
        got = (out or {}).get("error", {}).get("code")
        assert r.rc == 3 and out["outcome"] == "refused", (route, r)
        codes = [c for o in me.quote(url)["options"] for c in o["reasonCodes"]]
        matches = lambda c: c == code or (code.endswith(".") and c.startswith(code))  # noqa: E731
        assert matches(got) or (got == "policy.no_acceptable_option" and any(map(matches, codes))), (route, got, codes)
        results[route] = codes or [got]
        assert hostile.signed.get(route, []) == [], f"{route}: a payment was signed and sent"
    assert plain.rows() == [] and lenient.rows() == []
    assert ata_amount(sw, plain.usdc_ata) == 10**6 and ata_amount(sw, s["sellerUsdcAta"]) == seller_before
    print("\nhostile Solana shapes:", json.dumps(results, indent=1))


def test_a_compute_price_hint_within_the_cap_is_used_and_the_cap_is_the_humans(sw, purse_bin, tmp_path, hostile):
    """A seller's extra.computeUnitPrice within the cap goes into the transaction (and settles);
    a lower cap in the config refuses the same offer before signing."""
    s = sw["svm"]
    me = Payer(purse_bin, sw, tmp_path)
    url = hostile.add("/sol/priority", [sol_option(sw, extra={"computeUnitPrice": 1000})])
    hostile.flaky.add("/sol/priority")
    r, out = me.fetch(url)
    assert out["outcome"] == "unknown", r  # settled by the flaky seller, then 502
    tx = signed_transaction(me.rows()[0])
    price_ix = tx.message.instructions[1]
    assert bytes(price_ix.data) == b"\x03" + (1000).to_bytes(8, "little")
    strict = Payer(purse_bin, sw, tmp_path / "strict", network={"maxComputeUnitPrice": 999})
    r, out = strict.fetch(url)
    assert r.rc == 3, r
    codes = [c for o in strict.quote(url)["options"] for c in o["reasonCodes"]]
    assert "solana.compute_price_too_high" in codes + [out["error"]["code"]], (codes, out)
    assert strict.rows() == []


def test_keygen_writes_a_private_solana_keypair_and_address_reads_it(purse_bin, tmp_path):
    out = tmp_path / "id.json"
    r = run_purse(purse_bin, ["keygen", "--solana", "--out", str(out)], base_env(tmp_path))
    assert r.rc == 0, r
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    raw = json.loads(out.read_text())
    assert isinstance(raw, list) and len(raw) == 64
    from solders.keypair import Keypair

    kp = Keypair.from_bytes(bytes(raw))
    assert r.stdout.strip() == str(kp.pubkey())
    assert str(kp) not in r.stdout + r.stderr
    # Never overwrites.
    again = run_purse(purse_bin, ["keygen", "--solana", "--out", str(out)], base_env(tmp_path))
    assert again.rc != 0 and "key.file_exists" in again.stderr and json.loads(out.read_text()) == raw
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"key": {"solana": {"file": str(out)}}}))
    env = base_env(tmp_path, hexkey(Account.create().key))
    a = run_purse(purse_bin, ["address", "--network", "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"], env, config=cfg)
    assert a.rc == 0 and a.stdout.strip() == str(kp.pubkey()), a
    # A key file others can read is refused, naming the fix, never the key.
    os.chmod(out, 0o644)
    bad = run_purse(purse_bin, ["address", "--network", "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"], env, config=cfg)
    assert bad.rc != 0 and "key.file_permissions" in bad.stderr and "chmod 600" in bad.stderr
    assert str(kp) not in bad.stdout + bad.stderr
