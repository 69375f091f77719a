"""Solana for the offline world: an in-process LiteSVM (solders 0.27.1) behind a Solana JSON-RPC
shim on loopback, with the devnet USDC mint, a Token-2022 mint and funded accounts. TEST ONLY.

The shim answers in the exact shapes of a Solana RPC node (solders' parsers, which the x402 SDK
uses through solana-py, panic on malformed ones). Most answers are serialized by solders' own
response types; the rest are checked against solders' parsers by the tests.

Differences from a real node (on purpose, documented in README.md):
- one blockhash for the whole run (LiteSVM only accepts its latest blockhash; expiring it would
  break concurrent payers), so `lastValidBlockHeight` is always slot + 150 of the moment;
- each sendTransaction is executed at once in its own slot and is immediately "finalized";
- a transaction that cannot land (bad signature, unknown blockhash, already processed, fee
  payer without funds) is answered with a JSON-RPC error even with skipPreflight, instead of a
  signature that never confirms; one that fails in an instruction lands with its error and fee.
"""

from __future__ import annotations

import base64
import collections
import hashlib
import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from solders.account import Account
from solders.keypair import Keypair
from solders.litesvm import LiteSVM
from solders.pubkey import Pubkey
from solders.rpc.responses import (
    GetAccountInfoResp,
    GetLatestBlockhashResp,
    RpcBlockhash,
    RpcResponseContext,
)
from solders.token.associated import get_associated_token_address
from solders.token.state import Mint, TokenAccount, TokenAccountState
from solders.transaction import VersionedTransaction

from chain import RPCError, RPCServer

log = logging.getLogger("world.svm")

DEVNET = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"
DEVNET_GENESIS_HASH = "EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG"
USDC_DEVNET = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU"
TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
TOKEN_2022_PROGRAM = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"
ATA_PROGRAM = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL"
MEMO_PROGRAM = "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr"
COMPUTE_BUDGET_PROGRAM = "ComputeBudget111111111111111111111111111111"
SYSTEM_PROGRAM = "11111111111111111111111111111111"
TOKEN_PROGRAMS = (TOKEN_PROGRAM, TOKEN_2022_PROGRAM)
DECIMALS = 6
LAMPORTS_PER_SOL = 1_000_000_000
SLOTS_PER_BLOCKHASH = 150
MINT_LEN, TOKEN_ACCOUNT_LEN = 82, 165

FEE_PAYER_SOL = 100
PAYER_SOL = 1
SELLER_SOL = 1
PAYER_TOKENS = 100 * 10**DECIMALS  # 100 USDC-devnet and 100 of the Token-2022 mint


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    n = 0
    for ch in text:
        n = n * 58 + _B58.index(ch)
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def keypair_for(name: str) -> Keypair:
    """Deterministic keypair for a world role (same keys on every run; TEST ONLY)."""
    return Keypair.from_seed(hashlib.sha256(b"purse-local-world/svm/" + name.encode()).digest())


def write_cli_keypair(path: Path, kp: Keypair) -> None:
    """Solana CLI keypair file: a JSON array of the 64 secret-key bytes, mode 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(list(bytes(kp)), f)
    os.chmod(path, 0o600)


def _ui_amount(amount: int, decimals: int) -> dict:
    ui_str = _ui_string(amount, decimals)
    return {"amount": str(amount), "decimals": decimals, "uiAmount": float(ui_str), "uiAmountString": ui_str}


def _ui_string(amount: int, decimals: int) -> str:
    if decimals == 0:
        return str(amount)
    s = str(amount).rjust(decimals + 1, "0")
    whole, frac = s[:-decimals], s[-decimals:].rstrip("0")
    return f"{whole}.{frac}" if frac else whole


class SolanaWorld:
    """LiteSVM with the world's mints and accounts, plus the state a JSON-RPC node would keep
    (slot, signature statuses, transaction history, token-account index). Thread-safe."""

    def __init__(self, key_dir: Path):
        self.lock = threading.RLock()
        self.svm = LiteSVM()
        self.slot = 1
        self.svm.warp_to_slot(self.slot)
        self.history: dict[str, dict] = {}  # signature -> record (see _record)
        self.by_address: dict[str, list[str]] = collections.defaultdict(list)  # newest last
        self.token_accounts: set[str] = set()
        self.method_counts: collections.Counter = collections.Counter()
        self.key_dir = key_dir

        self.fee_payer = keypair_for("facilitator-fee-payer")
        self.seller = keypair_for("seller")
        self.payers = [keypair_for(f"payer-{i}") for i in range(2)]
        self.mint_authority = keypair_for("mint-authority")
        self.usdc_mint = Pubkey.from_string(USDC_DEVNET)
        self.t22_mint = keypair_for("token-2022-mint").pubkey()

        self._put_mint(self.usdc_mint, TOKEN_PROGRAM)
        self._put_mint(self.t22_mint, TOKEN_2022_PROGRAM)
        self.svm.airdrop(self.fee_payer.pubkey(), FEE_PAYER_SOL * LAMPORTS_PER_SOL)
        self.svm.airdrop(self.seller.pubkey(), SELLER_SOL * LAMPORTS_PER_SOL)
        for owner in (self.seller.pubkey(), *(p.pubkey() for p in self.payers)):
            for mint, program in ((self.usdc_mint, TOKEN_PROGRAM), (self.t22_mint, TOKEN_2022_PROGRAM)):
                amount = 0 if owner == self.seller.pubkey() else PAYER_TOKENS
                self.set_token_balance(owner, mint, program, amount)
        for p in self.payers:
            self.svm.airdrop(p.pubkey(), PAYER_SOL * LAMPORTS_PER_SOL)

        key_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.key_files = {}
        for i, p in enumerate(self.payers):
            path = key_dir / f"svm-payer-{i}.json"
            write_cli_keypair(path, p)
            self.key_files[f"payer-{i}"] = str(path)

    # --- state setup (test-only shortcuts that bypass the runtime) ------------------------------

    def _put_mint(self, mint: Pubkey, program: str, supply: int = 0) -> None:
        data = bytes(Mint(mint_authority=self.mint_authority.pubkey(), supply=supply, decimals=DECIMALS,
                          is_initialized=True, freeze_authority=None))
        lamports = self.svm.minimum_balance_for_rent_exemption(MINT_LEN)
        self.svm.set_account(mint, Account(lamports, data, Pubkey.from_string(program), False, 0))

    def ata(self, owner: Pubkey, mint: Pubkey, program: str) -> Pubkey:
        return get_associated_token_address(owner, mint, Pubkey.from_string(program))

    def set_token_balance(self, owner: Pubkey, mint: Pubkey, program: str, amount: int) -> Pubkey:
        """Create or overwrite owner's ATA for mint with `amount`, keeping the mint supply right."""
        with self.lock:
            ata = self.ata(owner, mint, program)
            old = self.svm.get_account(ata)
            before = TokenAccount.from_bytes(bytes(old.data)[:TOKEN_ACCOUNT_LEN]).amount if old else 0
            data = bytes(TokenAccount(mint=mint, owner=owner, amount=amount, delegate=None,
                                      state=TokenAccountState.Initialized, is_native=None, delegated_amount=0))
            lamports = self.svm.minimum_balance_for_rent_exemption(TOKEN_ACCOUNT_LEN)
            self.svm.set_account(ata, Account(lamports, data, Pubkey.from_string(program), False, 0))
            macc = self.svm.get_account(mint)
            m = Mint.from_bytes(bytes(macc.data)[:MINT_LEN])
            m = Mint(mint_authority=m.mint_authority, supply=m.supply - before + amount, decimals=m.decimals,
                     is_initialized=m.is_initialized, freeze_authority=m.freeze_authority)
            self.svm.set_account(mint, Account(macc.lamports, bytes(m), macc.owner, False, 0))
            self.token_accounts.add(str(ata))
            return ata

    def mint_to(self, owner: Pubkey, mint: Pubkey, amount: int) -> Pubkey:
        with self.lock:
            macc = self.svm.get_account(mint)
            if macc is None or str(macc.owner) not in TOKEN_PROGRAMS:
                raise RPCError(-32602, f"not a mint of this world: {mint}")
            program = str(macc.owner)
            acc = self.svm.get_account(self.ata(owner, mint, program))
            have = TokenAccount.from_bytes(bytes(acc.data)[:TOKEN_ACCOUNT_LEN]).amount if acc else 0
            return self.set_token_balance(owner, mint, program, have + amount)

    # --- reads ----------------------------------------------------------------------------------

    def token_amount(self, owner: Pubkey, mint: Pubkey, program: str | None = None) -> int:
        with self.lock:
            if program is None:
                program = str(self.svm.get_account(mint).owner)
            acc = self.svm.get_account(self.ata(owner, mint, program))
            return TokenAccount.from_bytes(bytes(acc.data)[:TOKEN_ACCOUNT_LEN]).amount if acc else 0

    def _token_info(self, address: Pubkey) -> dict | None:
        acc = self.svm.get_account(address)
        if acc is None or str(acc.owner) not in TOKEN_PROGRAMS or len(acc.data) < TOKEN_ACCOUNT_LEN:
            return None
        ta = TokenAccount.from_bytes(bytes(acc.data)[:TOKEN_ACCOUNT_LEN])
        macc = self.svm.get_account(ta.mint)
        decimals = bytes(macc.data)[44] if macc else 0
        return {"mint": ta.mint, "owner": ta.owner, "amount": ta.amount, "decimals": decimals,
                "program": str(acc.owner), "state": ta.state}

    # --- transactions ---------------------------------------------------------------------------

    def _snapshot(self, keys: list[Pubkey]) -> tuple[list[int], list[dict]]:
        balances, tokens = [], []
        for i, k in enumerate(keys):
            balances.append(self.svm.get_balance(k) or 0)
            info = self._token_info(k)
            if info is not None:
                tokens.append({"accountIndex": i, "mint": str(info["mint"]),
                               "uiTokenAmount": _ui_amount(info["amount"], info["decimals"]),
                               "owner": str(info["owner"]), "programId": info["program"]})
        return balances, tokens

    def send(self, raw: bytes) -> str:
        with self.lock:
            tx = VersionedTransaction.from_bytes(raw)
            keys = list(tx.message.account_keys)
            pre_bal, pre_tok = self._snapshot(keys)
            res = self.svm.send_transaction(tx)
            meta_json = json.loads(res.to_json())
            if "err" in meta_json:
                err, meta = meta_json["err"], meta_json["meta"]
                if not (isinstance(err, dict) and "InstructionError" in err):
                    # Did not land (no fee charged): a node would drop it.
                    raise RPCError(-32002, f"Transaction simulation failed: {json.dumps(err)}",
                                   {"err": err, "logs": meta.get("logs") or [], "accounts": None,
                                    "unitsConsumed": 0, "returnData": None})
            else:
                err, meta = None, meta_json
            sig = str(tx.signatures[0])
            post_bal, post_tok = self._snapshot(keys)
            for k in keys:
                if self._token_info(k) is not None:
                    self.token_accounts.add(str(k))
            self.history[sig] = {
                "slot": self.slot, "blockTime": int(time.time()), "raw": raw, "err": err,
                "fee": max(0, pre_bal[0] - post_bal[0]),
                "preBalances": pre_bal, "postBalances": post_bal,
                "preTokenBalances": pre_tok, "postTokenBalances": post_tok,
                "logMessages": meta.get("logs") or [], "computeUnitsConsumed": meta.get("compute_units_consumed", 0),
                "memo": self._memo_of(tx),
            }
            for k in keys:
                self.by_address[str(k)].append(sig)
            # Next transaction goes to the next slot (the blockhash stays: see module docstring).
            self.slot += 1
            self.svm.warp_to_slot(self.slot)
            return sig

    def airdrop(self, to: Pubkey, lamports: int) -> str:
        """requestAirdrop: credited at once; its signature gets a status (no getTransaction body)."""
        with self.lock:
            res = self.svm.airdrop(to, lamports)
            sig = json.loads(res.to_json()).get("signature") or b58encode(os.urandom(64))
            self.history[sig] = {"slot": self.slot, "blockTime": int(time.time()), "raw": None, "err": None,
                                 "memo": None}
            self.by_address[str(to)].append(sig)
            self.slot += 1
            self.svm.warp_to_slot(self.slot)
            return sig

    @staticmethod
    def _memo_of(tx: VersionedTransaction) -> str | None:
        keys = list(tx.message.account_keys)
        memos = []
        for ix in tx.message.instructions:
            if str(keys[ix.program_id_index]) == MEMO_PROGRAM:
                data = bytes(ix.data)
                memos.append(f"[{len(data)}] {data.decode('utf-8', 'replace')}")
        return "; ".join(memos) if memos else None

    def simulate(self, raw: bytes) -> dict:
        with self.lock:
            tx = VersionedTransaction.from_bytes(raw)
            res = self.svm.simulate_transaction(tx)
            j = json.loads(res.to_json())
            if "err" in j:
                err, meta = j["err"], j["meta"]
            else:
                err, meta = None, j["meta"]
            return {"err": err, "logs": meta.get("logs") or [], "accounts": None,
                    "unitsConsumed": meta.get("compute_units_consumed", 0), "returnData": None,
                    "innerInstructions": None, "replacementBlockhash": None}


class SolanaRPC:
    """The JSON-RPC methods (see README.md for the list); `handle(method, params)` returns the
    `result` member or raises chain.RPCError."""

    def __init__(self, world: SolanaWorld):
        self.w = world

    def _ctx(self) -> dict:
        return {"slot": self.w.slot, "apiVersion": "2.2.0"}

    @staticmethod
    def _resp(obj) -> Any:
        return json.loads(obj.to_json())["result"]

    @staticmethod
    def _pubkey(value: Any) -> Pubkey:
        try:
            return Pubkey.from_string(str(value))
        except Exception:  # noqa: BLE001
            raise RPCError(-32602, f"Invalid param: Invalid pubkey {value!r}") from None

    @staticmethod
    def _tx_bytes(value: str, cfg: dict) -> bytes:
        enc = (cfg or {}).get("encoding", "base58")
        try:
            return base64.b64decode(value, validate=True) if enc == "base64" else b58decode(value)
        except Exception:  # noqa: BLE001
            raise RPCError(-32602, f"invalid transaction: failed to decode {enc} string") from None

    def _account_json(self, address: Pubkey, acc: Account | None, cfg: dict) -> Any:
        if acc is None:
            return None
        enc = (cfg or {}).get("encoding", "base64" if cfg else "base58")
        data = bytes(acc.data)
        out: dict[str, Any] = {"lamports": acc.lamports, "owner": str(acc.owner), "executable": acc.executable,
                               "rentEpoch": acc.rent_epoch, "space": len(data)}
        if enc == "jsonParsed":
            parsed = self._parse_token_account(acc)
            out["data"] = parsed if parsed is not None else [base64.b64encode(data).decode(), "base64"]
        elif enc == "base58":
            out["data"] = [b58encode(data), "base58"]
        else:
            out["data"] = [base64.b64encode(data).decode(), "base64"]
        return out

    def _parse_token_account(self, acc: Account) -> dict | None:
        program = str(acc.owner)
        if program not in TOKEN_PROGRAMS:
            return None
        name = "spl-token" if program == TOKEN_PROGRAM else "spl-token-2022"
        data = bytes(acc.data)
        if len(data) == MINT_LEN:
            m = Mint.from_bytes(data)
            info = {"decimals": m.decimals, "freezeAuthority": str(m.freeze_authority) if m.freeze_authority else None,
                    "isInitialized": m.is_initialized,
                    "mintAuthority": str(m.mint_authority) if m.mint_authority else None, "supply": str(m.supply)}
            return {"program": name, "parsed": {"info": info, "type": "mint"}, "space": len(data)}
        if len(data) >= TOKEN_ACCOUNT_LEN:
            ta = TokenAccount.from_bytes(data[:TOKEN_ACCOUNT_LEN])
            macc = self.w.svm.get_account(ta.mint)
            decimals = bytes(macc.data)[44] if macc else 0
            state = {int(TokenAccountState.Initialized): "initialized",
                     int(TokenAccountState.Frozen): "frozen"}.get(int(ta.state), "uninitialized")
            info = {"isNative": False, "mint": str(ta.mint), "owner": str(ta.owner), "state": state,
                    "tokenAmount": _ui_amount(ta.amount, decimals)}
            return {"program": name, "parsed": {"info": info, "type": "account"}, "space": len(data)}
        return None

    # --- dispatch -----------------------------------------------------------------------------

    def handle(self, method: str, params: list) -> Any:  # noqa: C901 - one flat table
        w = self.w
        p = params or []
        w.method_counts[method] += 1
        log.info("svm rpc %s", method)
        with w.lock:
            if method == "getAccountInfo":
                addr = self._pubkey(p[0])
                cfg = p[1] if len(p) > 1 and isinstance(p[1], dict) else {}
                acc = w.svm.get_account(addr)
                if acc is not None and acc.lamports == 0 and not acc.data:
                    acc = None
                if acc is not None and cfg.get("encoding", "base64") == "base64":
                    out = self._resp(GetAccountInfoResp(acc, RpcResponseContext(w.slot)))
                    out["value"]["space"] = len(bytes(acc.data))
                    out["context"] = self._ctx()
                    return out
                return {"context": self._ctx(), "value": self._account_json(addr, acc, cfg or {"encoding": "base58"})}
            if method == "getMultipleAccounts":
                cfg = p[1] if len(p) > 1 and isinstance(p[1], dict) else {"encoding": "base58"}
                vals = []
                for a in p[0]:
                    pk = self._pubkey(a)
                    vals.append(self._account_json(pk, w.svm.get_account(pk), cfg))
                return {"context": self._ctx(), "value": vals}
            if method == "getBalance":
                return {"context": self._ctx(), "value": w.svm.get_balance(self._pubkey(p[0])) or 0}
            if method == "getLatestBlockhash":
                out = self._resp(GetLatestBlockhashResp(
                    RpcBlockhash(w.svm.latest_blockhash(), w.slot + SLOTS_PER_BLOCKHASH), RpcResponseContext(w.slot)))
                out["context"] = self._ctx()
                return out
            if method == "isBlockhashValid":
                return {"context": self._ctx(), "value": str(p[0]) == str(w.svm.latest_blockhash())}
            if method in ("getSlot", "getBlockHeight"):
                return w.slot
            if method == "getGenesisHash":
                return DEVNET_GENESIS_HASH
            if method == "getHealth":
                return "ok"
            if method == "getVersion":
                return {"solana-core": "2.2.0", "feature-set": 0}
            if method == "getMinimumBalanceForRentExemption":
                return w.svm.minimum_balance_for_rent_exemption(int(p[0]))
            if method == "getFeeForMessage":
                from solders.message import from_bytes_versioned

                msg = from_bytes_versioned(base64.b64decode(p[0]))
                return {"context": self._ctx(), "value": 5000 * msg.header.num_required_signatures}
            if method == "simulateTransaction":
                cfg = p[1] if len(p) > 1 and isinstance(p[1], dict) else {}
                raw = self._tx_bytes(p[0], cfg)
                return {"context": self._ctx(), "value": w.simulate(raw)}
            if method == "sendTransaction":
                cfg = p[1] if len(p) > 1 and isinstance(p[1], dict) else {}
                raw = self._tx_bytes(p[0], cfg)
                if not cfg.get("skipPreflight"):
                    sim = w.simulate(raw)
                    if sim["err"] is not None:
                        raise RPCError(-32002, f"Transaction simulation failed: {json.dumps(sim['err'])}", sim)
                return w.send(raw)
            if method == "getSignatureStatuses":
                statuses = []
                for s in p[0]:
                    rec = w.history.get(str(s))
                    if rec is None:
                        statuses.append(None)
                        continue
                    statuses.append({"slot": rec["slot"], "confirmations": None,
                                     "status": {"Ok": None} if rec["err"] is None else {"Err": rec["err"]},
                                     "err": rec["err"], "confirmationStatus": "finalized"})
                return {"context": self._ctx(), "value": statuses}
            if method == "getTransaction":
                return self._get_transaction(str(p[0]), p[1] if len(p) > 1 else None)
            if method == "getSignaturesForAddress":
                addr = str(self._pubkey(p[0]))
                cfg = p[1] if len(p) > 1 and isinstance(p[1], dict) else {}
                limit = min(int(cfg.get("limit") or 1000), 1000)
                sigs = list(reversed(w.by_address.get(addr, [])))
                if cfg.get("before") in sigs:
                    sigs = sigs[sigs.index(cfg["before"]) + 1:]
                if cfg.get("until") in sigs:
                    sigs = sigs[: sigs.index(cfg["until"])]
                out = []
                for s in sigs[:limit]:
                    rec = w.history[s]
                    out.append({"signature": s, "slot": rec["slot"], "err": rec["err"], "memo": rec["memo"],
                                "blockTime": rec["blockTime"], "confirmationStatus": "finalized"})
                return out
            if method == "getTokenAccountBalance":
                addr = self._pubkey(p[0])
                info = w._token_info(addr)
                if info is None:
                    raise RPCError(-32602, "Invalid param: could not find account")
                return {"context": self._ctx(), "value": _ui_amount(info["amount"], info["decimals"])}
            if method == "getTokenAccountsByOwner":
                owner = self._pubkey(p[0])
                flt = p[1] if len(p) > 1 and isinstance(p[1], dict) else {}
                cfg = p[2] if len(p) > 2 and isinstance(p[2], dict) else {"encoding": "base58"}
                if "mint" in flt:
                    mint = self._pubkey(flt["mint"])
                    macc = w.svm.get_account(mint)
                    if macc is None or str(macc.owner) not in TOKEN_PROGRAMS:
                        raise RPCError(-32602, "Invalid param: could not find mint")
                elif "programId" in flt:
                    if str(flt["programId"]) not in TOKEN_PROGRAMS:
                        raise RPCError(-32602, "Invalid param: unrecognized Token program id")
                    mint = None
                else:
                    raise RPCError(-32602, "Invalid params: expected {mint} or {programId}")
                vals = []
                for a in sorted(w.token_accounts):
                    pk = Pubkey.from_string(a)
                    info = w._token_info(pk)
                    if info is None or info["owner"] != owner:
                        continue
                    if mint is not None and info["mint"] != mint:
                        continue
                    if mint is None and info["program"] != str(flt["programId"]):
                        continue
                    vals.append({"pubkey": a, "account": self._account_json(pk, w.svm.get_account(pk), cfg)})
                return {"context": self._ctx(), "value": vals}
            if method == "requestAirdrop":
                return w.airdrop(self._pubkey(p[0]), int(p[1]))
        raise RPCError(-32601, "Method not found")

    def _get_transaction(self, sig: str, cfg: Any) -> Any:
        rec = self.w.history.get(sig)
        if rec is None or rec["raw"] is None:
            return None
        if isinstance(cfg, str):
            cfg = {"encoding": cfg}
        cfg = cfg or {}
        enc = cfg.get("encoding", "json")
        tx = VersionedTransaction.from_bytes(rec["raw"])
        msg = tx.message
        keys = [str(k) for k in msg.account_keys]
        if enc == "base64":
            transaction: Any = [base64.b64encode(rec["raw"]).decode(), "base64"]
        elif enc == "base58":
            transaction = [b58encode(rec["raw"]), "base58"]
        else:
            h = msg.header
            instructions = []
            for ix in msg.instructions:
                data = bytes(ix.data)
                program = keys[ix.program_id_index]
                if enc == "jsonParsed":
                    instructions.append(self._parsed_instruction(program, [keys[a] for a in bytes(ix.accounts)], data))
                else:
                    instructions.append({"programIdIndex": ix.program_id_index, "accounts": list(bytes(ix.accounts)),
                                         "data": b58encode(data), "stackHeight": None})
            if enc == "jsonParsed":
                n_sig, n_ro_sig, n_ro_unsig = (h.num_required_signatures, h.num_readonly_signed_accounts,
                                               h.num_readonly_unsigned_accounts)
                account_keys: list[Any] = []
                for i, k in enumerate(keys):
                    signer = i < n_sig
                    writable = (i < n_sig - n_ro_sig) if signer else (i < len(keys) - n_ro_unsig)
                    account_keys.append({"pubkey": k, "writable": writable, "signer": signer, "source": "transaction"})
            else:
                account_keys = keys
            message: dict[str, Any] = {
                "accountKeys": account_keys, "recentBlockhash": str(msg.recent_blockhash),
                "instructions": instructions, "addressTableLookups": [],
            }
            if enc != "jsonParsed":
                message = {"header": {"numRequiredSignatures": h.num_required_signatures,
                                      "numReadonlySignedAccounts": h.num_readonly_signed_accounts,
                                      "numReadonlyUnsignedAccounts": h.num_readonly_unsigned_accounts}, **message}
            transaction = {"signatures": [str(s) for s in tx.signatures], "message": message}
        meta = {
            "err": rec["err"], "status": {"Ok": None} if rec["err"] is None else {"Err": rec["err"]},
            "fee": rec["fee"], "preBalances": rec["preBalances"], "postBalances": rec["postBalances"],
            "innerInstructions": [], "logMessages": rec["logMessages"],
            "preTokenBalances": rec["preTokenBalances"], "postTokenBalances": rec["postTokenBalances"],
            "rewards": [], "loadedAddresses": {"writable": [], "readonly": []},
            "computeUnitsConsumed": rec["computeUnitsConsumed"],
        }
        return {"slot": rec["slot"], "blockTime": rec["blockTime"], "version": 0, "transaction": transaction,
                "meta": meta}

    @staticmethod
    def _parsed_instruction(program: str, accounts: list[str], data: bytes) -> dict:
        if program in TOKEN_PROGRAMS and len(data) >= 10 and data[0] == 12 and len(accounts) >= 4:
            amount, decimals = int.from_bytes(data[1:9], "little"), data[9]
            return {"program": "spl-token", "programId": program, "stackHeight": None,
                    "parsed": {"type": "transferChecked",
                               "info": {"source": accounts[0], "mint": accounts[1], "destination": accounts[2],
                                        "authority": accounts[3],
                                        "tokenAmount": _ui_amount(amount, decimals)}}}
        if program == MEMO_PROGRAM:
            return {"program": "spl-memo", "programId": program, "stackHeight": None,
                    "parsed": data.decode("utf-8", "replace")}
        return {"programId": program, "accounts": accounts, "data": b58encode(data),
                "stackHeight": None}


class SolanaService:
    """SolanaWorld + its JSON-RPC server on 127.0.0.1; world-only test methods:
    world_svmMint(owner, mint, atomic) → ATA, world_svmMethods() → method call counts."""

    def __init__(self, key_dir: Path):
        self.world = SolanaWorld(key_dir)
        self.rpc = SolanaRPC(self.world)

        def handle(method: str, params: list) -> Any:
            if method == "world_svmMint":
                ata = self.world.mint_to(self.rpc._pubkey(params[0]), self.rpc._pubkey(params[1]), int(params[2]))
                return str(ata)
            if method == "world_svmMethods":
                return dict(self.world.method_counts)
            return self.rpc.handle(method, params)

        self.server = RPCServer(handle).start()
        self.url = f"http://127.0.0.1:{self.server.port}"

    def stop(self) -> None:
        self.server.stop()

    def describe(self) -> dict:
        w = self.world
        payers = []
        for i, kp in enumerate(w.payers):
            payers.append({"address": str(kp.pubkey()), "secretKeyBase58": str(kp),
                           "keypairFile": w.key_files[f"payer-{i}"],
                           "usdcAta": str(w.ata(kp.pubkey(), w.usdc_mint, TOKEN_PROGRAM)),
                           "token2022Ata": str(w.ata(kp.pubkey(), w.t22_mint, TOKEN_2022_PROGRAM))})
        return {
            "network": DEVNET,
            "rpcUrl": self.url,
            "genesisHash": DEVNET_GENESIS_HASH,
            "usdcMint": str(w.usdc_mint),
            "token2022Mint": str(w.t22_mint),
            "decimals": DECIMALS,
            "tokenProgram": TOKEN_PROGRAM,
            "token2022Program": TOKEN_2022_PROGRAM,
            "feePayer": str(w.fee_payer.pubkey()),
            "seller": str(w.seller.pubkey()),
            "sellerUsdcAta": str(w.ata(w.seller.pubkey(), w.usdc_mint, TOKEN_PROGRAM)),
            "sellerToken2022Ata": str(w.ata(w.seller.pubkey(), w.t22_mint, TOKEN_2022_PROGRAM)),
            "mintAuthority": str(w.mint_authority.pubkey()),
            "payers": payers,
            "payerTokens": str(PAYER_TOKENS),
            "payerLamports": str(PAYER_SOL * LAMPORTS_PER_SOL),
            "recentBlockhash": str(w.svm.latest_blockhash()),
        }
