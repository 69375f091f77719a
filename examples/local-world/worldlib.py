"""Small synchronous helpers to talk to a running local world (used by the self-check and the
pytest harness). Plain JSON-RPC over httpx; no web3 needed."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx

TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
AUTHORIZATION_USED_TOPIC = "0x98de503528ee59b575ef0c0a2576a82497bfc029a5685b209e9ec333479b10a5"


def load(path: str | Path) -> dict:
    return json.loads(Path(path).read_text())


class RPCError(Exception):
    def __init__(self, error: dict):
        super().__init__(error.get("message"))
        self.error = error


def rpc(world: dict, method: str, params: list | None = None, timeout: float = 30) -> Any:
    r = httpx.post(world["rpcUrl"], json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []},
                   timeout=timeout)
    r.raise_for_status()
    body = r.json()
    if "error" in body:
        raise RPCError(body["error"])
    return body["result"]


def _pad(addr: str) -> str:
    return "00" * 12 + addr.lower().removeprefix("0x")


def eth_call(world: dict, to: str, data: str, sender: str | None = None) -> str:
    tx = {"to": to, "data": data}
    if sender:
        tx["from"] = sender
    return rpc(world, "eth_call", [tx, "latest"])


def balance_of(world: dict, addr: str, token: str | None = None, sender: str | None = None) -> int:
    """Token balance (atomic units) read with eth_call (balanceOf(address))."""
    return int(eth_call(world, token or world["token"], "0x70a08231" + _pad(addr), sender), 16)


def authorization_state(world: dict, authorizer: str, nonce: str) -> bool:
    data = "0xe94a0102" + _pad(authorizer) + nonce.lower().removeprefix("0x").rjust(64, "0")
    return int(eth_call(world, world["token"], data), 16) != 0


def eth_balance(world: dict, addr: str) -> int:
    return int(rpc(world, "eth_getBalance", [addr, "latest"]), 16)


def transfer_logs(world: dict, sender: str | None = None, receiver: str | None = None, from_block: str = "0x0") -> list[dict]:
    topics: list[Any] = [TRANSFER_TOPIC, "0x" + _pad(sender) if sender else None,
                         "0x" + _pad(receiver) if receiver else None]
    return rpc(world, "eth_getLogs", [{"address": world["token"], "fromBlock": from_block, "toBlock": "latest",
                                       "topics": topics}])


def count_transfers(world: dict, sender: str | None = None, receiver: str | None = None) -> int:
    """How many Transfer events (so: settled transactions, for a payer) the token emitted."""
    return len(transfer_logs(world, sender, receiver))


def receipt(world: dict, tx_hash: str) -> dict | None:
    return rpc(world, "eth_getTransactionReceipt", [tx_hash])


def mint(world: dict, addr: str, atomic: int | str) -> dict:
    """world_mint: the deployer mints; returns the mined receipt."""
    tx_hash = rpc(world, "world_mint", [addr, str(atomic)])
    deadline = time.time() + 10
    while time.time() < deadline:
        r = receipt(world, tx_hash)
        if r:
            return r
        time.sleep(0.05)
    raise TimeoutError(f"mint {tx_hash} not mined")


def clock_lead(world: dict) -> float:
    """Seconds the chain's latest block timestamp leads wall time."""
    blk = rpc(world, "eth_getBlockByNumber", ["latest", False])
    return int(blk["timestamp"], 16) - time.time()


def other_host_seen(world: dict) -> list[list[str]]:
    return httpx.get(world["otherHostUrl"] + "/seen", timeout=5).json()


def drop_log(world: dict) -> dict:
    return httpx.get(world["dropUrl"] + "/drop-log", timeout=5).json()
