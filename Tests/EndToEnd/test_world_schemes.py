"""The optional world features (`world.py --with svm,permit2`): every Solana, Permit2 and upto
route and the Solana RPC shim work as README.md documents, with the official x402 SDK client as
the oracle (checks live in examples/local-world/schemes_selfcheck.py)."""

from __future__ import annotations

import asyncio
import json
import stat
import tempfile
from pathlib import Path

import httpx
import pytest

import schemes_selfcheck as sc
from conftest import start_world, stop_world

# solana-py 0.39 marks its sync Client (which the x402 SDK itself uses) as deprecated.
pytestmark = [pytest.mark.filterwarnings("ignore:Client is deprecated"),
              pytest.mark.filterwarnings("ignore:TokenAccountOpts is deprecated")]


@pytest.fixture(scope="module")
def schemes_world():
    with tempfile.TemporaryDirectory(prefix="purse-world-schemes-") as d:
        proc, world, wall = start_world(Path(d) / "world.json", extra=["--with", "svm,permit2"])
        try:
            print(f"\nschemes world: ready in {wall:.2f} s wall, {world['startupSeconds']} s in process; "
                  f"breakdown {world['startupBreakdown']} {world.get('schemesStartupBreakdown')}")
            yield world
        finally:
            took = stop_world(proc)
            assert proc.returncode == 0, f"world.py exited with {proc.returncode}"
            assert took < 3.0
        key_dir = Path(world["svm"]["payers"][0]["keypairFile"]).parent
        assert not key_dir.exists(), "the world left its key directory behind"


def run(check, world) -> str:
    detail = asyncio.run(check(world))
    print(f"\n{check.__name__}: {detail}")
    return detail


def test_world_json_keys(schemes_world):
    w = schemes_world
    assert w["features"] == ["svm", "permit2"]
    s, p = w["svm"], w["permit2"]
    assert s["network"] == "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
    assert s["usdcMint"] == "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
    assert s["token2022Mint"] != s["usdcMint"]
    assert len(s["payers"]) == 2
    for payer in s["payers"]:
        path = Path(payer["keypairFile"])
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        raw = json.loads(path.read_text())
        assert isinstance(raw, list) and len(raw) == 64 and all(0 <= b <= 255 for b in raw)
        from solders.keypair import Keypair

        kp = Keypair.from_bytes(bytes(raw))
        assert str(kp.pubkey()) == payer["address"]
        assert str(Keypair.from_base58_string(payer["secretKeyBase58"]).pubkey()) == payer["address"]
    assert p["permit2"] == "0x000000000022D473030F116dDEE9F6B43aC78BA3"
    assert p["exactProxy"] == "0x402085c248EeA27D92E8b30b2C58ed07f9E20001"
    assert p["uptoProxy"] == "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002"
    assert p["approvedPayer"]["permit2Allowance"] == "max" and p["unapprovedPayer"]["permit2Allowance"] == "0"
    for path in w["schemeEndpoints"].values():
        assert httpx.get(w["sellerUrl"] + path, timeout=10).status_code == 402, path


def test_facilitator_supported(schemes_world):
    w = schemes_world
    sup = httpx.get(w["facilitatorUrl"] + "/supported", timeout=10).json()
    kinds = {(k["x402Version"], k["scheme"], k["network"]) for k in sup["kinds"]}
    assert (2, "exact", w["network"]) in kinds
    assert (2, "upto", w["network"]) in kinds
    assert (2, "exact", w["svm"]["network"]) in kinds
    svm_kind = next(k for k in sup["kinds"] if k["network"] == w["svm"]["network"])
    assert svm_kind["extra"] == {"feePayer": w["svm"]["feePayer"]}
    upto_kind = next(k for k in sup["kinds"] if k["scheme"] == "upto")
    assert upto_kind["extra"] == {"facilitatorAddress": w["facilitator"]}
    assert set(sup["extensions"]) >= {"eip2612GasSponsoring", "erc20ApprovalGasSponsoring"}
    assert sup["signers"]["solana:*"] == [w["svm"]["feePayer"]]


def test_svm_rpc_shapes(schemes_world):
    run(sc.check_svm_rpc_shapes, schemes_world)


def test_svm_weather(schemes_world):
    run(sc.check_svm_weather, schemes_world)


def test_svm_weather_token_2022(schemes_world):
    run(sc.check_svm_weather_2022, schemes_world)


def test_svm_replay_refused(schemes_world):
    run(sc.check_svm_replay_refused, schemes_world)


def test_mixed_pays_the_cheaper_network(schemes_world):
    run(sc.check_mixed, schemes_world)


def test_svm_hostile_routes(schemes_world):
    run(sc.check_svm_hostile, schemes_world)


def test_svm_listed_payers_can_pay(schemes_world):
    """The keypair files in world.json are usable as they are: payer 1 pays /sol/weather."""
    from solders.keypair import Keypair

    w = schemes_world
    s = w["svm"]
    payer = s["payers"][1]
    kp = Keypair.from_bytes(bytes(json.loads(Path(payer["keypairFile"]).read_text())))
    before = sc.svm_token_amount(w, payer["usdcAta"])

    async def pay():
        from x402.http.clients import x402HttpxClient

        async with x402HttpxClient(sc.svm_client(w, kp), timeout=30) as http:
            return await http.get(w["sellerUrl"] + w["schemeEndpoints"]["solWeather"])

    assert asyncio.run(pay()).status_code == 200
    assert before - sc.svm_token_amount(w, payer["usdcAta"]) == 10000


def test_permit2_chain(schemes_world):
    run(sc.check_permit2_chain, schemes_world)


def test_permit2_listed_payers(schemes_world):
    """world.json's approvedPayer pays /permit2/weather with its key as listed; unapprovedPayer
    is refused with permit2_allowance_required and keeps its funds."""
    from eth_account import Account

    w = schemes_world
    p = w["permit2"]
    path = w["schemeEndpoints"]["permit2Weather"]
    approved = Account.from_key(p["approvedPayer"]["privateKey"])
    unapproved = Account.from_key(p["unapprovedPayer"]["privateKey"])
    assert approved.address == p["approvedPayer"]["address"] and unapproved.address == p["unapprovedPayer"]["address"]
    before = sc.wl.balance_of(w, approved.address, p["plainToken"])
    resp = asyncio.run(sc._pay_evm(w, sc.evm_client(w, approved), path))
    assert resp.status_code == 200
    assert sc.wl.balance_of(w, approved.address, p["plainToken"]) == before - 10000
    resp = asyncio.run(sc._pay_evm(w, sc.evm_client(w, unapproved), path))
    assert resp.status_code == 402 and sc.refusal(resp) == "permit2_allowance_required"
    assert sc.wl.balance_of(w, unapproved.address, p["plainToken"]) == int(p["payerFunds"])


def test_permit2_weather(schemes_world):
    run(sc.check_permit2_weather, schemes_world)


def test_permit2_weather_2612(schemes_world):
    run(sc.check_permit2_weather_2612, schemes_world)


def test_permit2_weather_approval(schemes_world):
    run(sc.check_permit2_weather_approval, schemes_world)


def test_upto_infer_settles_the_actual_amount(schemes_world):
    run(sc.check_upto_infer, schemes_world)


def test_upto_wrong_facilitator(schemes_world):
    run(sc.check_upto_wrong_facilitator, schemes_world)


def test_world_without_features_has_none(world):
    """Without --with (the session world of conftest.py) nothing is added: no svm/permit2 keys,
    no extra routes, no Permit2 code at the canonical address."""
    assert world["features"] == [] and "svm" not in world and "permit2" not in world
    assert httpx.get(world["sellerUrl"] + "/sol/weather", timeout=10).status_code == 404
    code = httpx.post(world["rpcUrl"], json={"jsonrpc": "2.0", "id": 1, "method": "eth_getCode",
                                             "params": ["0x000000000022D473030F116dDEE9F6B43aC78BA3", "latest"]}).json()
    assert code["result"] in ("0x", "0x0")
    kinds = httpx.get(world["facilitatorUrl"] + "/supported", timeout=10).json()["kinds"]
    assert {k["scheme"] for k in kinds} == {"exact"} and all(k["network"].startswith("eip155:") or
                                                             k["x402Version"] == 1 for k in kinds)


def test_vectors_file_is_current():
    """The committed Solana vectors are what the committed generator produces."""
    import subprocess
    import sys

    world_dir = Path(sc.__file__).resolve().parent
    committed = json.loads((world_dir / "fixtures" / "solana_vectors.json").read_text())
    out = subprocess.run([sys.executable, str(world_dir / "gen_solana_vectors.py"), "--stdout"],
                         capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(out.stdout) == committed
    assert len(committed["findProgramAddress"]) >= 300 and len(committed["isOnCurve"]) >= 300
    assert sum(1 for c in committed["findProgramAddress"] if c["skippedOnCurveBumps"]) >= 100
    kinds = {c["kind"] for c in committed["isOnCurve"]}
    assert {"random", "publicKey", "smallOrder0", "withTorsionComponent", "nonCanonicalY"} <= kinds
    assert len(committed["transferChecked"]) >= 4
