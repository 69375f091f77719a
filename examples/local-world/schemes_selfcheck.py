#!/usr/bin/env python3
"""Self-check of the optional world features (`world.py --with svm,permit2`) with the OFFICIAL
x402 Python SDK client as the oracle.

    python examples/local-world/schemes_selfcheck.py /path/world.json

Each `check_*` coroutine proves one route or RPC and returns a one-line detail; the pytest file
Tests/EndToEnd/test_world_schemes.py calls them one by one. Mutating checks use fresh wallets
(funded through the world's RPC), so the payers listed in world.json keep their documented state.
"""

from __future__ import annotations

import asyncio
import base64
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
from eth_account import Account  # noqa: E402
from x402 import x402Client  # noqa: E402
from x402.http import x402HTTPClient  # noqa: E402
from x402.http.clients import x402HttpxClient  # noqa: E402
from x402.schemas import PaymentRequired  # noqa: E402

import worldlib as wl  # noqa: E402

MAX_UINT256 = 2**256 - 1


def _assert(cond: bool, msg: str) -> None:
    if not cond:
        raise AssertionError(msg)


def decode_required(resp: httpx.Response) -> dict:
    return json.loads(base64.b64decode(resp.headers["payment-required"]))


def decode_response(resp: httpx.Response) -> dict:
    return json.loads(base64.b64decode(resp.headers["payment-response"]))


def refusal(resp: httpx.Response) -> str | None:
    """The reason a paid retry was refused: the new 402's `error` (verify failed), or the
    PAYMENT-RESPONSE `errorReason` of a 402 whose settlement failed; None if not refused."""
    if resp.status_code != 402:
        return None
    if "payment-response" in resp.headers:
        st = decode_response(resp)
        return None if st.get("success") else f"settle:{st.get('errorReason')}"
    return decode_required(resp).get("error")


def cheapest_first(_version, reqs):
    return sorted(reqs, key=lambda r: int(r.get_amount()))


# ---------------------------------------------------------------------------------------------
# Solana helpers
# ---------------------------------------------------------------------------------------------


def svm_rpc(world: dict, method: str, params: list | None = None):
    r = httpx.post(world["svm"]["rpcUrl"], json={"jsonrpc": "2.0", "id": 7, "method": method, "params": params or []},
                   timeout=30)
    r.raise_for_status()
    body = r.json()
    if "error" in body:
        raise wl.RPCError(body["error"])
    return body["result"]


def svm_token_amount(world: dict, ata: str) -> int:
    try:
        return int(svm_rpc(world, "getTokenAccountBalance", [ata])["value"]["amount"])
    except wl.RPCError:
        return 0


def svm_fresh_payer(world: dict, amount: int = 10**6):
    """A fresh keypair holding `amount` of both mints (and no SOL: the facilitator pays fees)."""
    from solders.keypair import Keypair

    kp = Keypair()
    s = world["svm"]
    usdc_ata = svm_rpc(world, "world_svmMint", [str(kp.pubkey()), s["usdcMint"], amount])
    t22_ata = svm_rpc(world, "world_svmMint", [str(kp.pubkey()), s["token2022Mint"], amount])
    return kp, usdc_ata, t22_ata


def svm_client(world: dict, kp, evm_account=None, policies=None) -> x402Client:
    from x402.mechanisms.svm import KeypairSigner
    from x402.mechanisms.svm.exact import register_exact_svm_client

    client = x402Client()
    s = world["svm"]
    register_exact_svm_client(client, KeypairSigner(kp), networks=[s["network"]], rpc_url=s["rpcUrl"],
                              policies=policies)
    allowed = [{"network": s["network"], "asset": s["usdcMint"], "max_amount_per_payment": "1000000"},
               {"network": s["network"], "asset": s["token2022Mint"], "max_amount_per_payment": "1000000"}]
    if evm_account is not None:
        from x402.mechanisms.evm import EthAccountSigner
        from x402.mechanisms.evm.exact import register_exact_evm_client

        register_exact_evm_client(client, EthAccountSigner(evm_account), networks=[world["network"]])
        allowed.append({"network": world["network"], "asset": world["token"], "max_amount_per_payment": "1000000"})
    client.set_spend_controls({"allowed_assets": allowed})
    return client


# ---------------------------------------------------------------------------------------------
# Solana checks
# ---------------------------------------------------------------------------------------------


async def check_svm_rpc_shapes(world: dict) -> str:
    """Every documented shim method answers in a shape solders' own parsers accept."""
    from solana.rpc.api import Client
    from solana.rpc.types import TokenAccountOpts
    from solders.pubkey import Pubkey

    s = world["svm"]
    c = Client(s["rpcUrl"])
    usdc = c.get_account_info(Pubkey.from_string(s["usdcMint"])).value
    t22 = c.get_account_info(Pubkey.from_string(s["token2022Mint"])).value
    _assert(str(usdc.owner) == s["tokenProgram"] and bytes(usdc.data)[44] == 6, f"usdc mint {usdc}")
    _assert(str(t22.owner) == s["token2022Program"] and bytes(t22.data)[44] == 6, f"t22 mint {t22}")
    _assert(c.get_account_info(Pubkey.from_string(s["hostile"]["unknownMint"])).value is None, "unknown mint exists")
    bh = c.get_latest_blockhash().value
    _assert(str(bh.blockhash) == s["recentBlockhash"] and bh.last_valid_block_height > c.get_slot().value,
            f"blockhash {bh}")
    _assert(c.get_balance(Pubkey.from_string(s["feePayer"])).value >= 10**9, "fee payer has no SOL")
    p0 = s["payers"][0]
    _assert(c.get_balance(Pubkey.from_string(p0["address"])).value == int(s["payerLamports"]), "payer SOL")
    bal = c.get_token_account_balance(Pubkey.from_string(p0["usdcAta"])).value
    _assert(bal.decimals == 6 and int(bal.amount) >= 0, f"token balance {bal}")
    accts = c.get_token_accounts_by_owner(Pubkey.from_string(p0["address"]),
                                          TokenAccountOpts(mint=Pubkey.from_string(s["usdcMint"]))).value
    _assert([str(a.pubkey) for a in accts] == [p0["usdcAta"]], f"by owner {accts}")
    parsed = c.get_token_accounts_by_owner_json_parsed(
        Pubkey.from_string(p0["address"]), TokenAccountOpts(program_id=Pubkey.from_string(s["token2022Program"]))).value
    _assert([str(a.pubkey) for a in parsed] == [p0["token2022Ata"]], f"by owner parsed {parsed}")
    _assert(c.get_minimum_balance_for_rent_exemption(165).value == 2039280, "rent")
    _assert(svm_rpc(world, "getGenesisHash") == s["genesisHash"], "genesis hash")
    _assert(svm_rpc(world, "getHealth") == "ok", "health")
    try:
        svm_rpc(world, "getNoSuchThing")
        raise AssertionError("unknown method answered")
    except wl.RPCError as e:
        _assert(e.error["code"] == -32601, f"unknown method {e.error}")
    return "getAccountInfo/getLatestBlockhash/getBalance/getTokenAccountBalance/getTokenAccountsByOwner/... parse"


async def _pay_svm(world: dict, path: str, mint_key: str, seller_ata_key: str) -> str:
    from solana.rpc.api import Client
    from solders.signature import Signature

    s = world["svm"]
    kp, usdc_ata, t22_ata = svm_fresh_payer(world)
    payer_ata = usdc_ata if mint_key == "usdcMint" else t22_ata
    url = world["sellerUrl"] + path
    r402 = httpx.get(url, timeout=10)
    _assert(r402.status_code == 402, f"{path} unpaid {r402.status_code}")
    a = decode_required(r402)["accepts"][0]
    _assert(a["scheme"] == "exact" and a["network"] == s["network"] and a["asset"] == s[mint_key]
            and a["payTo"] == s["seller"] and a["amount"] == "10000" and a["extra"]["feePayer"] == s["feePayer"],
            f"{path} requirements {a}")
    _assert(a["extra"].get("recentBlockhash") == s["recentBlockhash"], f"{path} recentBlockhash {a['extra']}")
    seller_before, payer_before = svm_token_amount(world, s[seller_ata_key]), svm_token_amount(world, payer_ata)
    client = svm_client(world, kp)
    async with x402HttpxClient(client, timeout=30) as http:
        resp = await http.get(url)
    _assert(resp.status_code == 200, f"{path} paid {resp.status_code} {resp.headers}")
    st = decode_response(resp)
    _assert(st["success"] and st["network"] == s["network"] and st["payer"] == str(kp.pubkey()), f"settle {st}")
    _assert(svm_token_amount(world, s[seller_ata_key]) - seller_before == 10000, "seller delta")
    _assert(payer_before - svm_token_amount(world, payer_ata) == 10000, "payer delta")
    sig = st["transaction"]
    Signature.from_string(sig)  # base58, 64 bytes
    c = Client(s["rpcUrl"])
    status = c.get_signature_statuses([Signature.from_string(sig)]).value[0]
    _assert(status is not None and status.err is None, f"status {status}")
    tx = c.get_transaction(Signature.from_string(sig), encoding="json", max_supported_transaction_version=0).value
    meta = tx.transaction.meta
    post = {str(b.owner): int(b.ui_token_amount.amount) for b in meta.post_token_balances}
    pre = {str(b.owner): int(b.ui_token_amount.amount) for b in meta.pre_token_balances}
    _assert(post[s["seller"]] - pre[s["seller"]] == 10000, f"getTransaction token balances {pre} {post}")
    _assert(meta.fee >= 5000, f"fee {meta.fee}")
    keys = [str(k) for k in tx.transaction.transaction.message.account_keys]
    _assert(keys[0] == s["feePayer"], f"fee payer is not account 0: {keys}")
    sigs = svm_rpc(world, "getSignaturesForAddress", [s[seller_ata_key], {"limit": 5}])
    _assert(sigs[0]["signature"] == sig and sigs[0]["memo"].startswith("[32] "), f"signatures for address {sigs}")
    return f"{path}: 200, seller +10000, tx {sig[:12]}…"


async def check_svm_weather(world: dict) -> str:
    return await _pay_svm(world, world["schemeEndpoints"]["solWeather"], "usdcMint", "sellerUsdcAta")


async def check_svm_weather_2022(world: dict) -> str:
    return await _pay_svm(world, world["schemeEndpoints"]["solWeather2022"], "token2022Mint", "sellerToken2022Ata")


async def check_svm_replay_refused(world: dict) -> str:
    s = world["svm"]
    kp, usdc_ata, _ = svm_fresh_payer(world)
    url = world["sellerUrl"] + world["schemeEndpoints"]["solWeather"]
    client = svm_client(world, kp)
    payload = await client.create_payment_payload(PaymentRequired.model_validate(decode_required(httpx.get(url))))
    headers = x402HTTPClient(client).encode_payment_signature_header(payload)
    before = svm_token_amount(world, s["sellerUsdcAta"])
    first = httpx.get(url, headers=headers, timeout=30)
    second = httpx.get(url, headers=headers, timeout=30)
    _assert(first.status_code == 200, f"first {first.status_code}")
    err = decode_required(second).get("error") if second.status_code == 402 else None
    _assert(second.status_code == 402 and err in ("transaction_simulation_failed", "duplicate_settlement"),
            f"replay {second.status_code} {err}")
    _assert(svm_token_amount(world, s["sellerUsdcAta"]) - before == 10000, "replay moved funds twice")
    # And straight at the facilitator: /verify of the replayed transaction is refused.
    body = {"x402Version": 2, "paymentPayload": payload.model_dump(by_alias=True, exclude_none=True),
            "paymentRequirements": payload.accepted.model_dump(by_alias=True, exclude_none=True)}
    v = httpx.post(world["facilitatorUrl"] + "/verify", json=body, timeout=30).json()
    _assert(v["isValid"] is False and v["invalidReason"] == "transaction_simulation_failed"
            and "AlreadyProcessed" in v.get("invalidMessage", ""), f"facilitator verify replay {v}")
    return f"second use → 402 {err}; facilitator /verify → {v['invalidReason']} (AlreadyProcessed)"


async def check_mixed(world: dict) -> str:
    s = world["svm"]
    out = []
    for key, want in (("mixed", "svm"), ("mixedEvmCheaper", "evm")):
        url = world["sellerUrl"] + world["schemeEndpoints"][key]
        acc = decode_required(httpx.get(url, timeout=10))["accepts"]
        nets = sorted(a["network"] for a in acc)
        _assert(nets == sorted([world["network"], s["network"]]), f"{key} networks {nets}")
        kp, _, _ = svm_fresh_payer(world)
        evm = Account.create()
        wl.mint(world, evm.address, 10**6)
        client = svm_client(world, kp, evm_account=evm, policies=[cheapest_first])
        svm_before = svm_token_amount(world, s["sellerUsdcAta"])
        evm_before = wl.balance_of(world, world["seller"])
        async with x402HttpxClient(client, timeout=30) as http:
            resp = await http.get(url)
        _assert(resp.status_code == 200, f"{key} paid {resp.status_code}")
        d_svm = svm_token_amount(world, s["sellerUsdcAta"]) - svm_before
        d_evm = wl.balance_of(world, world["seller"]) - evm_before
        cheaper = min(acc, key=lambda a: int(a["amount"]))
        if want == "svm":
            _assert(d_svm == int(cheaper["amount"]) and d_evm == 0, f"{key} moved svm {d_svm} evm {d_evm}")
        else:
            _assert(d_evm == int(cheaper["amount"]) and d_svm == 0, f"{key} moved svm {d_svm} evm {d_evm}")
        out.append(f"{key} → {want} {cheaper['amount']}")
    return ", ".join(out)


async def check_svm_hostile(world: dict) -> str:
    s, ep = world["svm"], world["schemeEndpoints"]
    out = []
    # feePayer = the payer's own key: the facilitator must refuse whatever the client sends.
    url = world["sellerUrl"] + ep["solFeePayerIsPayer"]
    a = decode_required(httpx.get(url, timeout=10))["accepts"][0]
    _assert(a["extra"]["feePayer"] == s["payers"][0]["address"], f"feePayer {a}")
    from solders.keypair import Keypair

    kp = Keypair.from_base58_string(s["payers"][0]["secretKeyBase58"])
    before = svm_token_amount(world, s["payers"][0]["usdcAta"])
    client = svm_client(world, kp)
    try:
        async with x402HttpxClient(client, timeout=30) as http:
            resp = await http.get(url)
        status = resp.status_code
        err = decode_required(resp).get("error") if status == 402 else None
        _assert(status == 402 and err == "fee_payer_not_managed_by_facilitator", f"fee-payer-is-payer {status} {err}")
        out.append(f"fee-payer-is-payer → {err}")
    except AssertionError:
        raise
    except Exception as e:  # noqa: BLE001 - the SDK client may fail to build such a transaction
        out.append(f"fee-payer-is-payer → client error {type(e).__name__}")
    _assert(svm_token_amount(world, s["payers"][0]["usdcAta"]) == before, "fee-payer-is-payer moved funds")
    # Unknown mint: the SDK client cannot read the mint and refuses to build a payment.
    url = world["sellerUrl"] + ep["solUnknownMint"]
    kp2, _, _ = svm_fresh_payer(world)
    client = svm_client(world, kp2)
    client.set_spend_controls(False)
    try:
        await client.create_payment_payload(PaymentRequired.model_validate(decode_required(httpx.get(url))))
        raise AssertionError("unknown mint: the SDK client built a payment")
    except ValueError as e:
        _assert("mint not found" in str(e).lower(), f"unknown mint error {e}")
        out.append("unknown-mint → client: Token mint not found")
    # Long memo: the SDK client refuses (> 256 bytes).
    url = world["sellerUrl"] + ep["solLongMemo"]
    a = decode_required(httpx.get(url, timeout=10))["accepts"][0]
    _assert(len(a["extra"]["memo"].encode()) == s["hostile"]["longMemoBytes"] > 256, "memo length")
    try:
        await svm_client(world, kp2).create_payment_payload(PaymentRequired.model_validate(decode_required(httpx.get(url))))
        raise AssertionError("long memo: the SDK client built a payment")
    except ValueError as e:
        _assert("memo exceeds" in str(e), f"long memo error {e}")
        out.append("long-memo → client: extra.memo exceeds 256 bytes")
    # A client that truncates the memo to 256 bytes is refused by the facilitator.
    pr = decode_required(httpx.get(url, timeout=10))
    truncated = json.loads(json.dumps(pr))
    truncated["accepts"][0]["extra"]["memo"] = a["extra"]["memo"].encode()[:256].decode()
    client = svm_client(world, kp2)
    payload = await client.create_payment_payload(PaymentRequired.model_validate(truncated))
    payload.accepted = PaymentRequired.model_validate(pr).accepts[0]
    resp = httpx.get(url, headers=x402HTTPClient(client).encode_payment_signature_header(payload), timeout=30)
    err = refusal(resp)
    _assert(err == "invalid_exact_svm_payload_memo_mismatch", f"truncated memo {resp.status_code} {err}")
    out.append(f"long-memo truncated → {err}")
    return "; ".join(out)


# ---------------------------------------------------------------------------------------------
# Permit2 / upto helpers
# ---------------------------------------------------------------------------------------------


def _wait_receipt(world: dict, tx_hash: str) -> dict:
    deadline = time.time() + 10
    while time.time() < deadline:
        r = wl.receipt(world, tx_hash)
        if r:
            _assert(int(r["status"], 16) == 1, f"tx {tx_hash} reverted")
            return r
        time.sleep(0.05)
    raise TimeoutError(tx_hash)


def mint_token(world: dict, token: str, addr: str, amount: int) -> None:
    _wait_receipt(world, wl.rpc(world, "world_mintToken", [token, addr, str(amount)]))


def allowance(world: dict, token: str, owner: str, spender: str) -> int:
    data = "0xdd62ed3e" + wl._pad(owner) + wl._pad(spender)
    return int(wl.eth_call(world, token, data), 16)


def erc20_nonce(world: dict, token: str, owner: str) -> int:
    return int(wl.eth_call(world, token, "0x7ecebe00" + wl._pad(owner)), 16)


def nonce_bitmap(world: dict, owner: str, word: int) -> int:
    data = "0x4fe02b44" + wl._pad(owner) + hex(word)[2:].rjust(64, "0")
    return int(wl.eth_call(world, world["permit2"]["permit2"], data), 16)


def fresh_evm(world: dict, *, approve: bool, eth: int = 0, tokens: tuple = ("permitToken", "plainToken")):
    """A fresh wallet holding 1.0 of each Permit2-world token; `approve` sends approve(Permit2, max)
    from it (after a faucet top-up)."""
    p = world["permit2"]
    acct = Account.create()
    for t in tokens:
        mint_token(world, p[t], acct.address, 10**6)
    if approve or eth:
        _wait_receipt(world, wl.rpc(world, "world_faucet", [acct.address, str(max(eth, 10**17))]))
    if approve:
        from eth_abi import encode

        chain_id = world["chainId"]
        for i, t in enumerate(tokens):
            tx = {"to": p[t], "data": "0x095ea7b3" + encode(["address", "uint256"], [p["permit2"], MAX_UINT256]).hex(),
                  "gas": 100_000, "gasPrice": 2 * 10**9, "nonce": i, "chainId": chain_id, "value": 0}
            raw = acct.sign_transaction(tx).raw_transaction
            _wait_receipt(world, wl.rpc(world, "eth_sendRawTransaction", ["0x" + raw.hex()]))
    return acct


def evm_client(world: dict, acct, *, with_rpc: bool = False) -> x402Client:
    from x402.mechanisms.evm import EthAccountSigner
    from x402.mechanisms.evm.exact import register_exact_evm_client
    from x402.mechanisms.evm.signers import EthAccountSignerWithRPC
    from x402.mechanisms.evm.upto import UptoEvmClientScheme

    p = world["permit2"]
    signer = EthAccountSignerWithRPC(acct, world["rpcUrl"]) if with_rpc else EthAccountSigner(acct)
    client = x402Client()
    register_exact_evm_client(client, signer, networks=[world["network"]])
    client.register(world["network"], UptoEvmClientScheme(signer))
    client.set_spend_controls({"allowed_assets": [
        {"network": world["network"], "asset": p[t], "max_amount_per_payment": "100000"}
        for t in ("permitToken", "plainToken")]})
    return client


async def _pay_evm(world: dict, client: x402Client, path: str) -> httpx.Response:
    async with x402HttpxClient(client, timeout=30) as http:
        return await http.get(world["sellerUrl"] + path)


# ---------------------------------------------------------------------------------------------
# Permit2 / upto checks
# ---------------------------------------------------------------------------------------------


async def check_permit2_chain(world: dict) -> str:
    """Code at the canonical addresses, Permit2's EIP-712 domain, tokens and payer allowances."""
    from eth_utils import keccak

    p = world["permit2"]
    for k in ("permit2", "exactProxy", "uptoProxy", "permitToken", "plainToken"):
        _assert(len(wl.rpc(world, "eth_getCode", [p[k], "latest"])) > 100, f"no code at {k}")
    domain = keccak(b"".join([
        keccak(text="EIP712Domain(string name,uint256 chainId,address verifyingContract)"),
        keccak(text="Permit2"), world["chainId"].to_bytes(32, "big"), bytes(12) + bytes.fromhex(p["permit2"][2:])]))
    got = wl.eth_call(world, p["permit2"], "0x3644e515")
    _assert(got == "0x" + domain.hex(), f"DOMAIN_SEPARATOR {got} != {domain.hex()}")
    for who, want in (("approvedPayer", MAX_UINT256), ("unapprovedPayer", 0)):
        addr = p[who]["address"]
        for t in ("permitToken", "plainToken"):
            _assert(allowance(world, p[t], addr, p["permit2"]) == want, f"{who} allowance on {t}")
            _assert(wl.balance_of(world, addr, p[t]) == int(p["payerFunds"]), f"{who} balance on {t}")
    _assert(wl.eth_balance(world, p["unapprovedPayer"]["address"]) == 0, "unapproved payer has ETH")
    # The permit token has EIP-2612 and no EIP-3009; the plain token has neither.
    _assert(erc20_nonce(world, p["permitToken"], p["approvedPayer"]["address"]) == 0, "nonces()")
    for t, sig in (("permitToken", "authorizationState(address,bytes32)"), ("plainToken", "nonces(address)")):
        try:
            wl.eth_call(world, p[t], "0x" + keccak(text=sig)[:4].hex() + "00" * 64)
            raise AssertionError(f"{t} answers {sig}")
        except wl.RPCError:
            pass
    return f"Permit2 domain {got[:12]}…, approved/unapproved allowances max/0"


async def check_permit2_weather(world: dict) -> str:
    p = world["permit2"]
    path = world["schemeEndpoints"]["permit2Weather"]
    a = decode_required(httpx.get(world["sellerUrl"] + path, timeout=10))["accepts"][0]
    _assert(a["scheme"] == "exact" and a["asset"] == p["plainToken"] and a["amount"] == "10000"
            and a["extra"].get("assetTransferMethod") == "permit2", f"requirements {a}")
    payer = fresh_evm(world, approve=True, tokens=("plainToken",))
    client = evm_client(world, payer)
    b_payer, b_seller = wl.balance_of(world, payer.address, p["plainToken"]), wl.balance_of(world, world["seller"], p["plainToken"])
    r402 = httpx.get(world["sellerUrl"] + path, timeout=10)
    payload = await client.create_payment_payload(PaymentRequired.model_validate(decode_required(r402)))
    auth = payload.payload["permit2Authorization"]
    _assert(auth["spender"] == p["exactProxy"] and auth["witness"]["to"] == world["seller"], f"payload {auth}")
    headers = x402HTTPClient(client).encode_payment_signature_header(payload)
    first = httpx.get(world["sellerUrl"] + path, headers=headers, timeout=30)
    _assert(first.status_code == 200, f"paid {first.status_code} {first.headers}")
    st = decode_response(first)
    _assert(st["success"] and int(wl.receipt(world, st["transaction"])["status"], 16) == 1, f"settle {st}")
    _assert(wl.balance_of(world, payer.address, p["plainToken"]) == b_payer - 10000
            and wl.balance_of(world, world["seller"], p["plainToken"]) == b_seller + 10000, "balances")
    nonce = int(auth["nonce"])
    _assert(nonce_bitmap(world, payer.address, nonce >> 8) >> (nonce & 255) & 1 == 1, "nonce bit not set")
    second = httpx.get(world["sellerUrl"] + path, headers=headers, timeout=30)
    err = refusal(second)
    _assert(err is not None, f"replay {second.status_code} {second.headers}")
    _assert(wl.balance_of(world, payer.address, p["plainToken"]) == b_payer - 10000, "replay moved funds")
    # A payer without an allowance to Permit2 (and no extension offered) is refused.
    fresh = fresh_evm(world, approve=False, tokens=("plainToken",))
    resp = await _pay_evm(world, evm_client(world, fresh), path)
    err2 = decode_required(resp).get("error") if resp.status_code == 402 else None
    _assert(resp.status_code == 402 and err2 == "permit2_allowance_required", f"no allowance {resp.status_code} {err2}")
    return f"paid 10000 via Permit2; replay → {err}; no allowance → {err2}"


async def check_permit2_weather_2612(world: dict) -> str:
    p = world["permit2"]
    path = world["schemeEndpoints"]["permit2Weather2612"]
    pr = decode_required(httpx.get(world["sellerUrl"] + path, timeout=10))
    _assert("eip2612GasSponsoring" in (pr.get("extensions") or {}), f"extensions {pr.get('extensions')}")
    payer = fresh_evm(world, approve=False, tokens=("permitToken",))
    _assert(wl.eth_balance(world, payer.address) == 0, "payer has ETH")
    b_seller = wl.balance_of(world, world["seller"], p["permitToken"])
    resp = await _pay_evm(world, evm_client(world, payer, with_rpc=True), path)
    _assert(resp.status_code == 200, f"paid {resp.status_code} {resp.headers}")
    _assert(wl.balance_of(world, payer.address, p["permitToken"]) == 10**6 - 10000
            and wl.balance_of(world, world["seller"], p["permitToken"]) == b_seller + 10000, "balances")
    _assert(erc20_nonce(world, p["permitToken"], payer.address) == 1, "EIP-2612 nonce not used")
    return "0-ETH payer without allowance paid via settleWithPermit (EIP-2612 nonce 0 → 1)"


async def check_permit2_weather_approval(world: dict) -> str:
    p = world["permit2"]
    path = world["schemeEndpoints"]["permit2WeatherApproval"]
    pr = decode_required(httpx.get(world["sellerUrl"] + path, timeout=10))
    _assert(list((pr.get("extensions") or {}).keys()) == ["erc20ApprovalGasSponsoring"], f"extensions {pr.get('extensions')}")
    payer = fresh_evm(world, approve=False, tokens=("plainToken",))
    b_seller = wl.balance_of(world, world["seller"], p["plainToken"])
    resp = await _pay_evm(world, evm_client(world, payer, with_rpc=True), path)
    _assert(resp.status_code == 200, f"paid {resp.status_code} {resp.headers}")
    _assert(wl.balance_of(world, payer.address, p["plainToken"]) == 10**6 - 10000
            and wl.balance_of(world, world["seller"], p["plainToken"]) == b_seller + 10000, "balances")
    _assert(allowance(world, p["plainToken"], payer.address, p["permit2"]) == MAX_UINT256, "approval not broadcast")
    return "0-ETH payer without allowance paid: sponsored approve(Permit2, max) + settle"


async def check_upto_infer(world: dict) -> str:
    p = world["permit2"]
    path = world["schemeEndpoints"]["uptoInfer"]
    a = decode_required(httpx.get(world["sellerUrl"] + path, timeout=10))["accepts"][0]
    _assert(a["scheme"] == "upto" and a["amount"] == world["schemePrices"]["uptoMax"]
            and a["extra"]["facilitatorAddress"] == world["facilitator"]
            and a["extra"]["assetTransferMethod"] == "permit2", f"requirements {a}")
    payer = fresh_evm(world, approve=True, tokens=("permitToken",))
    client = evm_client(world, payer)
    b_payer, b_seller = wl.balance_of(world, payer.address, p["permitToken"]), wl.balance_of(world, world["seller"], p["permitToken"])
    payload = await client.create_payment_payload(PaymentRequired.model_validate(
        decode_required(httpx.get(world["sellerUrl"] + path, timeout=10))))
    auth = payload.payload["permit2Authorization"]
    _assert(auth["spender"] == p["uptoProxy"] and auth["witness"]["facilitator"] == world["facilitator"]
            and auth["permitted"]["amount"] == world["schemePrices"]["uptoMax"], f"payload {auth}")
    headers = x402HTTPClient(client).encode_payment_signature_header(payload)
    first = httpx.get(world["sellerUrl"] + path, headers=headers, timeout=30)
    _assert(first.status_code == 200 and "settlement-overrides" not in first.headers, f"paid {first.status_code}")
    st = decode_response(first)
    settled = int(world["schemePrices"]["uptoSettled"])
    _assert(st["success"] and st.get("amount") == str(settled), f"settle {st}")
    _assert(wl.balance_of(world, payer.address, p["permitToken"]) == b_payer - settled
            and wl.balance_of(world, world["seller"], p["permitToken"]) == b_seller + settled, "upto balances")
    second = httpx.get(world["sellerUrl"] + path, headers=headers, timeout=30)
    err = refusal(second)
    _assert(err is not None, f"upto replay {second.status_code} {second.headers}")
    _assert(wl.balance_of(world, payer.address, p["permitToken"]) == b_payer - settled, "upto replay moved funds")
    return f"signed max {auth['permitted']['amount']}, exactly {settled} moved (PAYMENT-RESPONSE amount); replay → {err}"


async def check_upto_wrong_facilitator(world: dict) -> str:
    p = world["permit2"]
    path = world["schemeEndpoints"]["uptoWrongFacilitator"]
    a = decode_required(httpx.get(world["sellerUrl"] + path, timeout=10))["accepts"][0]
    _assert(a["extra"]["facilitatorAddress"] == p["wrongFacilitator"] != world["facilitator"], f"requirements {a}")
    payer = fresh_evm(world, approve=True, tokens=("permitToken",))
    before = wl.balance_of(world, payer.address, p["permitToken"])
    resp = await _pay_evm(world, evm_client(world, payer), path)
    err = decode_required(resp).get("error") if resp.status_code == 402 else None
    _assert(resp.status_code == 402 and err == "upto_facilitator_mismatch", f"wrong facilitator {resp.status_code} {err}")
    _assert(wl.balance_of(world, payer.address, p["permitToken"]) == before, "funds moved")
    return f"→ 402 {err}"


SVM_CHECKS = [check_svm_rpc_shapes, check_svm_weather, check_svm_weather_2022, check_svm_replay_refused,
              check_mixed, check_svm_hostile]
PERMIT2_CHECKS = [check_permit2_chain, check_permit2_weather, check_permit2_weather_2612,
                  check_permit2_weather_approval, check_upto_infer, check_upto_wrong_facilitator]


async def run(world: dict) -> int:
    checks = (SVM_CHECKS if "svm" in world.get("features", []) else []) + \
             (PERMIT2_CHECKS if "permit2" in world.get("features", []) else [])
    for check in checks:
        t = time.perf_counter()
        detail = await check(world)
        print(f"schemes-selfcheck: ok   {check.__name__[6:]} ({(time.perf_counter() - t) * 1000:.0f} ms) — {detail}",
              flush=True)
    print(f"SUMMARY {len(checks)} checks ok; features {world.get('features')}", flush=True)
    return len(checks)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    asyncio.run(run(wl.load(sys.argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
