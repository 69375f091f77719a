"""A local EVM chain (eth-tester + py-evm) served as HTTP JSON-RPC on loopback. TEST ONLY.

Fixes over plain eth-tester (see shared docs/test-world.md, "Pitfalls"):
- chain id: py-evm reads it from a class attribute of the chain class, which we set;
- clock: before calls and sends the pending block is moved to wall-clock time (time_travel),
  and sends wait (outside the lock) while the chain leads wall time by more than max_clock_lead;
- eth_call is free: the caller is credited its up-front gas cost on a throw-away state;
- a transaction whose nonce is ahead of its sender's is parked and run when the gap fills,
  as a real node's queue would (eth-tester itself rejects it);
- reverts answer {"code":3,"message":"execution reverted: <reason>","data":"0x08c379a0…"} like geth.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from eth_abi import encode as abi_encode
from eth_tester import EthereumTester, PyEVMBackend
from eth_tester.backends.pyevm.main import _get_vm_for_block_number
from eth_utils import keccak, to_bytes, to_checksum_address, to_hex

from netutil import listen_socket, stop_socketserver

log = logging.getLogger("world.chain")

# The well-known development mnemonic (Hardhat/Anvil): account 0 deploys, 1 is the facilitator.
DEV_MNEMONIC = "test test test test test test test test test test test junk"
ZERO_ADDRESS = b"\x00" * 20
ERROR_STRING_SELECTOR = bytes.fromhex("08c379a0")
TRANSFER_TOPIC = "0x" + keccak(text="Transfer(address,address,uint256)").hex()


class RPCError(Exception):
    def __init__(self, code: int, message: str, data: str | None = None):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data

    def to_json(self) -> dict:
        err: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            err["data"] = self.data
        return err


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def to_rpc(value: Any, *, kind: str = "") -> Any:
    """eth-tester's snake_case Python objects to JSON-RPC's camelCase hex quantities."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return hex(value)
    if isinstance(value, (bytes, bytearray)):
        return to_hex(bytes(value))
    if isinstance(value, (list, tuple)):
        return [to_rpc(v, kind=kind) for v in value]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if kind == "receipt" and k == "state_root":
                continue
            if k == "coinbase":
                out["miner"] = to_rpc(v)
            elif k == "logs_bloom":
                out["logsBloom"] = "0x" + (v if isinstance(v, int) else 0).to_bytes(256, "big").hex()
            elif kind == "tx" and k == "data":
                out["input"] = v
            elif k == "logs":
                out["logs"] = [to_rpc(x, kind="log") for x in v]
            elif k == "transactions" and v and isinstance(v[0], dict):
                out["transactions"] = [to_rpc(x, kind="tx") for x in v]
            elif kind == "log" and k == "type":
                continue
            else:
                out[_camel(k)] = to_rpc(v, kind=kind)
        if kind == "receipt" and "logsBloom" not in out:
            out["logsBloom"] = "0x" + "00" * 256
        if kind == "log":
            out["removed"] = False
        return out
    return value


def _qty(v: Any, default: int | None = None) -> int | None:
    if v is None:
        return default
    if isinstance(v, int):
        return v
    return int(v, 16)


def _data(v: Any) -> bytes:
    if not v:
        return b""
    return to_bytes(hexstr=v)


def _revert_error(output: bytes) -> RPCError:
    reason = ""
    if output[:4] == ERROR_STRING_SELECTOR:
        try:
            from eth_abi import decode as abi_decode

            reason = abi_decode(["string"], output[4:])[0]
        except Exception:  # noqa: BLE001 - undecodable reason: keep the raw data only
            reason = ""
    message = f"execution reverted: {reason}" if reason else "execution reverted"
    return RPCError(3, message, to_hex(output))


class Chain:
    """eth-tester chain with the fixes above; every method is thread-safe."""

    def __init__(self, chain_id: int = 84532, num_accounts: int = 16, max_clock_lead: float = 60.0):
        self.chain_id = chain_id
        self.max_clock_lead = max_clock_lead
        self.lock = threading.RLock()
        self.backend = PyEVMBackend.from_mnemonic(DEV_MNEMONIC, num_accounts=num_accounts, hd_path="m/44'/60'/0'/0")
        # Pitfall 2: the chain id is a class attribute of a class eth-tester makes per backend.
        type(self.backend.chain).chain_id = chain_id
        self.tester = EthereumTester(self.backend)
        self.accounts = list(self.tester.get_accounts())
        self.private_keys = ["0x" + k.to_bytes().hex() for k in self.backend.account_keys]
        self._parked: dict[bytes, dict[int, bytes]] = {}
        self._logs: list[dict] = []  # every log of every mined transaction, in order
        self._sync_clock()

    # --- clock -------------------------------------------------------------------------

    def pending_timestamp(self) -> int:
        return self.backend.chain.get_block().header.timestamp

    def latest_timestamp(self) -> int:
        return self.tester.get_block_by_number("latest")["timestamp"]

    def clock_lead(self) -> float:
        return self.latest_timestamp() - time.time()

    def _sync_clock(self) -> None:
        """Move the pending block to wall-clock time (caller holds the lock)."""
        now = int(time.time())
        if self.pending_timestamp() < now - 1:
            self.backend.time_travel(now)

    def _wait_for_clock(self) -> None:
        """Pitfall 4: cap the lead of chain time over wall time (wait outside the lock)."""
        deadline = time.time() + 30
        while time.time() < deadline:
            with self.lock:
                lead = self.pending_timestamp() - time.time()
            if lead <= self.max_clock_lead:
                return
            time.sleep(min(1.0, lead - self.max_clock_lead + 0.05))

    # --- reads ---------------------------------------------------------------------------

    def _block_id(self, tag: Any) -> Any:
        if tag is None or tag in ("latest", "safe", "finalized"):
            return "latest"
        if tag in ("earliest", "pending"):
            return tag
        return _qty(tag)

    def call(self, tx: dict, tag: Any = "latest") -> bytes:
        """eth_call on a throw-away state, crediting the caller its up-front gas (pitfall 5)."""
        with self.lock:
            self._sync_clock()
            block = self._block_id(tag)
            raw: dict[str, Any] = {
                "from": _data(tx.get("from")) or ZERO_ADDRESS,
                "to": _data(tx.get("to")),
                "data": _data(tx.get("data") or tx.get("input")),
                "value": _qty(tx.get("value"), 0),
            }
            if tx.get("gas"):
                raw["gas"] = min(_qty(tx["gas"]), self.backend._max_available_gas())
            else:
                raw["gas"] = self.backend._max_available_gas()
            from eth.vm.spoof import SpoofTransaction

            unsigned = self.backend._get_normalized_and_unsigned_evm_transaction(raw, block)
            spoof = SpoofTransaction(unsigned, from_=raw["from"])
            vm = _get_vm_for_block_number(self.backend.chain, block)
            state = vm.state
            snapshot = state.snapshot()
            try:
                state.delta_balance(raw["from"], unsigned.gas * unsigned.max_fee_per_gas)
                computation = state.apply_transaction(spoof)
            finally:
                state.revert(snapshot)
            if computation.is_error:
                err = computation.error
                data = err.args[0] if err.args and isinstance(err.args[0], bytes) else b""
                if type(err).__name__ == "Revert":
                    raise _revert_error(data)
                raise RPCError(-32000, f"execution failed: {err}")
            return computation.output

    def estimate_gas(self, tx: dict, tag: Any = "latest") -> int:
        with self.lock:
            self._sync_clock()
            t = {
                "from": to_checksum_address(tx.get("from") or to_hex(ZERO_ADDRESS)),
                "data": tx.get("data") or tx.get("input") or "0x",
                "value": _qty(tx.get("value"), 0),
            }
            if tx.get("to"):
                t["to"] = to_checksum_address(tx["to"])
            try:
                return self.tester.estimate_gas(t, self._block_id(tag))
            except Exception as e:  # noqa: BLE001 - map eth-tester's failure to geth's shape
                msg = str(e)
                reason = msg.strip("'\"")
                data = ERROR_STRING_SELECTOR + abi_encode(["string"], [reason])
                raise RPCError(3, f"execution reverted: {reason}", to_hex(data)) from None

    def balance_of(self, token: str, owner: str) -> int:
        data = "0x70a08231" + "00" * 12 + owner.lower().removeprefix("0x")
        return int.from_bytes(self.call({"to": token, "data": data}), "big")

    # --- writes --------------------------------------------------------------------------

    def _record_logs(self, tx_hash: str) -> None:
        receipt = self.tester.get_transaction_receipt(tx_hash)
        for entry in receipt["logs"]:
            self._logs.append(entry)

    def send_raw(self, raw_hex: str) -> str:
        raw = to_bytes(hexstr=raw_hex)
        self._wait_for_clock()
        with self.lock:
            self._sync_clock()
            vm = self.backend.chain.get_vm()
            evm_tx = vm.get_transaction_builder().decode(raw)
            sender, nonce = evm_tx.sender, evm_tx.nonce
            current = vm.state.get_nonce(sender)
            tx_hash = to_hex(evm_tx.hash)
            if nonce < current:
                raise RPCError(-32000, f"nonce too low: address {to_checksum_address(sender)}, "
                                       f"tx: {nonce} state: {current}")
            if nonce > current:
                # Pitfall 6: park it, as a node's queue would, and run it when the gap fills.
                self._parked.setdefault(sender, {})[nonce] = raw
                return tx_hash
            self._apply_raw(raw_hex)
            self._drain_parked(sender)
            return tx_hash

    def _apply_raw(self, raw_hex: str) -> str:
        try:
            tx_hash = self.tester.send_raw_transaction(raw_hex)
        except Exception as e:  # noqa: BLE001 - invalid transaction: geth answers -32000
            raise RPCError(-32000, str(e)) from None
        self._record_logs(tx_hash)
        return tx_hash

    def _drain_parked(self, sender: bytes) -> None:
        queue = self._parked.get(sender)
        while queue:
            current = self.backend.chain.get_vm().state.get_nonce(sender)
            raw = queue.pop(current, None)
            if raw is None:
                return
            try:
                self._sync_clock()
                self._apply_raw(to_hex(raw))
            except RPCError as e:
                log.warning("parked transaction failed: %s", e.message)

    def send_transaction(self, tx: dict) -> str:
        """eth_sendTransaction for the mnemonic's accounts (eth-tester signs)."""
        t: dict[str, Any] = {"from": to_checksum_address(tx["from"]), "gas": _qty(tx.get("gas"), 500_000)}
        if tx.get("to"):
            t["to"] = to_checksum_address(tx["to"])
        if tx.get("data") or tx.get("input"):
            t["data"] = tx.get("data") or tx.get("input")
        t["value"] = _qty(tx.get("value"), 0)
        self._wait_for_clock()
        with self.lock:
            self._sync_clock()
            try:
                tx_hash = self.tester.send_transaction(t)
            except Exception as e:  # noqa: BLE001
                raise RPCError(-32000, str(e)) from None
            self._record_logs(tx_hash)
            return tx_hash

    def deploy(self, bytecode: str, sender: str) -> str:
        tx_hash = self.send_transaction({"from": sender, "data": bytecode, "gas": hex(5_000_000)})
        receipt = self.tester.get_transaction_receipt(tx_hash)
        if receipt["status"] != 1:
            raise RuntimeError("token deployment failed")
        return to_checksum_address(receipt["contract_address"])

    def deploy_and_fund(self, bytecode: str, deployer: str, mint_calldata, fundings: list[tuple[str, int]]) -> str:
        """Deploy the token and mint to every (address, amount) in ONE block: one block per
        transaction would put the chain clock ahead of wall time by a second per mint."""
        from eth_utils import keccak as _k
        import rlp

        with self.lock:
            self._sync_clock()
            nonce = self.tester.get_nonce(deployer)
            token = to_checksum_address(_k(rlp.encode([to_bytes(hexstr=deployer), nonce]))[12:])
            # Straight to the backend: each applies to the pending block, then one block is mined.
            norm = self.tester.normalizer.normalize_inbound_transaction
            txs = [{"from": deployer, "data": bytecode, "gas": 5_000_000}]
            txs += [{"from": deployer, "to": token, "data": mint_calldata(addr, amount), "gas": 200_000}
                    for addr, amount in fundings]
            hashes = [to_hex(self.backend.send_transaction(norm({**tx, "nonce": nonce + i})))
                      for i, tx in enumerate(txs)]
            self.tester.mine_blocks(1)
            for h in hashes:
                r = self.tester.get_transaction_receipt(h)
                if r["status"] != 1:
                    raise RuntimeError(f"setup transaction {h} failed")
                self._record_logs(h)
            assert self.tester.get_transaction_receipt(hashes[0])["contract_address"] == token
            return token

    def mine(self) -> str:
        with self.lock:
            self._sync_clock()
            return self.tester.mine_blocks(1)[0]

    # --- logs ------------------------------------------------------------------------------

    def get_logs(self, flt: dict) -> list[dict]:
        with self.lock:
            head = self.tester.get_block_by_number("latest")["number"]
            entries = list(self._logs)

        def bound(tag: Any, default: int) -> int:
            if tag is None or tag in ("latest", "safe", "finalized", "pending"):
                return default if tag is None else head
            if tag == "earliest":
                return 0
            return _qty(tag)

        block_hash = (flt.get("blockHash") or "").lower()
        lo, hi = bound(flt.get("fromBlock"), head), bound(flt.get("toBlock"), head)
        addrs = flt.get("address")
        if isinstance(addrs, str):
            addrs = [addrs]
        addrs = {a.lower() for a in addrs} if addrs else None
        topics = flt.get("topics") or []
        out = []
        for e in entries:
            if block_hash:
                if e["block_hash"].lower() != block_hash:
                    continue
            elif not lo <= e["block_number"] <= hi:
                continue
            if addrs and e["address"].lower() not in addrs:
                continue
            ok = True
            for i, want in enumerate(topics):
                if want is None:
                    continue
                wants = [w.lower() for w in (want if isinstance(want, list) else [want])]
                if i >= len(e["topics"]) or e["topics"][i].lower() not in wants:
                    ok = False
                    break
            if ok:
                out.append(to_rpc(e, kind="log"))
        return out

    # --- JSON-RPC dispatch -------------------------------------------------------------------

    def rpc(self, method: str, params: list) -> Any:  # noqa: C901 - one flat table of methods
        t = self.tester
        p = params or []
        if method == "eth_chainId":
            return hex(self.chain_id)
        if method == "net_version":
            return str(self.chain_id)
        if method == "web3_clientVersion":
            return "purse-local-world/eth-tester-py-evm"
        if method == "eth_syncing":
            return False
        if method == "eth_accounts":
            return self.accounts
        if method == "eth_blockNumber":
            with self.lock:
                return hex(t.get_block_by_number("latest")["number"])
        if method == "eth_gasPrice":
            with self.lock:
                base = self.backend.chain.get_block().header.base_fee_per_gas
            return hex(max(10**9, 2 * base))
        if method == "eth_maxPriorityFeePerGas":
            return hex(10**9)
        if method == "eth_feeHistory":
            with self.lock:
                fh = t.get_fee_history(_qty(p[0]), self._block_id(p[1] if len(p) > 1 else "latest"),
                                       p[2] if len(p) > 2 else [])
            return to_rpc(fh)
        if method == "eth_getBalance":
            with self.lock:
                return hex(t.get_balance(to_checksum_address(p[0]), self._block_id(p[1] if len(p) > 1 else None)))
        if method == "eth_getCode":
            with self.lock:
                return t.get_code(to_checksum_address(p[0]), self._block_id(p[1] if len(p) > 1 else None))
        if method == "eth_getStorageAt":
            with self.lock:
                v = t.get_storage_at(to_checksum_address(p[0]), _qty(p[1]), self._block_id(p[2] if len(p) > 2 else None))
            return v if isinstance(v, str) else to_hex(v)
        if method == "eth_getTransactionCount":
            with self.lock:
                return hex(t.get_nonce(to_checksum_address(p[0]), self._block_id(p[1] if len(p) > 1 else None)))
        if method == "eth_call":
            return to_hex(self.call(p[0], p[1] if len(p) > 1 else "latest"))
        if method == "eth_estimateGas":
            return hex(self.estimate_gas(p[0], p[1] if len(p) > 1 else "latest"))
        if method == "eth_sendRawTransaction":
            return self.send_raw(p[0])
        if method == "eth_sendTransaction":
            return self.send_transaction(p[0])
        if method == "eth_getTransactionReceipt":
            with self.lock:
                try:
                    r = t.get_transaction_receipt(p[0])
                except Exception:  # noqa: BLE001 - unknown or parked: null, like geth
                    return None
            if r is None or r.get("block_number") is None:
                return None
            return to_rpc(r, kind="receipt")
        if method == "eth_getTransactionByHash":
            with self.lock:
                try:
                    return to_rpc(t.get_transaction_by_hash(p[0]), kind="tx")
                except Exception:  # noqa: BLE001
                    return None
        if method in ("eth_getBlockByNumber", "eth_getBlockByHash"):
            full = bool(p[1]) if len(p) > 1 else False
            with self.lock:
                try:
                    if method == "eth_getBlockByNumber":
                        b = t.get_block_by_number(self._block_id(p[0]), full)
                    else:
                        b = t.get_block_by_hash(p[0], full)
                except Exception:  # noqa: BLE001
                    return None
            return to_rpc(b)
        if method == "eth_getLogs":
            return self.get_logs(p[0] if p else {})
        if method == "evm_mine":
            self.mine()
            return "0x0"
        raise RPCError(-32601, f"the method {method} does not exist/is not available")


class RPCServer:
    """JSON-RPC over HTTP POST (single or batch), one thread per connection."""

    def __init__(self, handle, host: str = "127.0.0.1", port: int = 0):
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # pitfall 7

            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                try:
                    req = json.loads(body)
                except ValueError:
                    out: Any = {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "parse error"}}
                else:
                    out = [one(r) for r in req] if isinstance(req, list) else one(req)
                data = json.dumps(out).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                data = b'{"ok":true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        def one(req: dict) -> dict:
            rid = req.get("id") if isinstance(req, dict) else None
            try:
                result = handle(req["method"], req.get("params") or [])
                return {"jsonrpc": "2.0", "id": rid, "result": result}
            except RPCError as e:
                return {"jsonrpc": "2.0", "id": rid, "error": e.to_json()}
            except Exception as e:  # noqa: BLE001 - never kill the server on one bad request
                log.exception("rpc %s failed", req.get("method") if isinstance(req, dict) else req)
                return {"jsonrpc": "2.0", "id": rid, "error": {"code": -32603, "message": str(e)}}

        self.httpd = ThreadingHTTPServer((host, port), Handler, bind_and_activate=False)
        self.httpd.daemon_threads = True
        self.httpd.socket.close()
        self.httpd.socket = listen_socket(host, port)
        self.httpd.server_address = self.httpd.socket.getsockname()
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                       name="rpc", daemon=True)

    def start(self) -> "RPCServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        stop_socketserver(self.httpd, self.thread)
