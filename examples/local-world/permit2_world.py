"""Permit2 `exact` and `upto` on the local EVM chain. TEST ONLY.

- Compiles our Vyper stand-ins (contracts/*.vy) for Permit2, the x402 exact and upto Permit2
  proxies, an ERC-20 with EIP-2612 ("Permit USD") and a plain ERC-20 ("Plain USD"). Compiling
  takes seconds, so `CompileJob` runs it in a child process that starts with the world.
- Places Permit2 and the proxies at their canonical addresses (the SDK calls them there and
  checks no code hash), deploys the tokens from a dedicated deployer (stable addresses), funds
  two payers (one already approved Permit2 for both tokens, one not), all in one block.
- Registers on the world's facilitator: the SDK's `upto` EVM scheme, the eip2612GasSponsoring
  extension, and erc20ApprovalGasSponsoring with `ApprovalBundleSigner` (the SDK ships only the
  protocol for that signer).

    python permit2_world.py --compile      # prints the compiled contracts as JSON (used by CompileJob)
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
log = logging.getLogger("world.permit2")

PERMIT2 = "0x000000000022D473030F116dDEE9F6B43aC78BA3"
EXACT_PROXY = "0x402085c248EeA27D92E8b30b2C58ed07f9E20001"
UPTO_PROXY = "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002"
MAX_UINT256 = 2**256 - 1
DECIMALS = 6
PAYER_FUNDS = 100 * 10**DECIMALS
APPROVED_PAYER_ETH = 10**18

SOURCES = {
    "Permit2": "contracts/Permit2.vy",
    "ExactPermit2Proxy": "contracts/ExactPermit2Proxy.vy",
    "UptoPermit2Proxy": "contracts/UptoPermit2Proxy.vy",
    "PermitToken": "contracts/PermitToken.vy",
    "PlainToken": "contracts/PlainToken.vy",
}
PLACED = {"Permit2": PERMIT2, "ExactPermit2Proxy": EXACT_PROXY, "UptoPermit2Proxy": UPTO_PROXY}
PERMIT_TOKEN = {"name": "Permit USD", "version": "1", "symbol": "PUSD"}
PLAIN_TOKEN = {"name": "Plain USD", "symbol": "PLAIN"}


def _key(name: str) -> str:
    from eth_utils import keccak

    return "0x" + keccak(text=f"purse-local-world/permit2/{name}").hex()


# Deterministic keys (same on every run; TEST ONLY).
DEPLOYER_KEY = _key("deployer")
APPROVED_PAYER_KEY = _key("payer-approved")
UNAPPROVED_PAYER_KEY = _key("payer-unapproved")


def check_sdk_constants() -> None:
    """The addresses we place code at must be the ones the installed SDK calls."""
    from x402.mechanisms.evm import constants as c

    assert c.PERMIT2_ADDRESS == PERMIT2, c.PERMIT2_ADDRESS
    assert c.X402_EXACT_PERMIT2_PROXY_ADDRESS == EXACT_PROXY, c.X402_EXACT_PERMIT2_PROXY_ADDRESS
    assert c.X402_UPTO_PERMIT2_PROXY_ADDRESS == UPTO_PROXY, c.X402_UPTO_PERMIT2_PROXY_ADDRESS


def compile_contracts() -> dict[str, dict]:
    from vyper import compile_code

    out = {}
    for name, rel in SOURCES.items():
        fmt = ["abi", "bytecode_runtime"] if name in PLACED else ["abi", "bytecode"]
        out[name] = compile_code((HERE / rel).read_text(), output_formats=fmt)
    return out


def _cache_file() -> Path | None:
    """Compiled output is cached per (vyper version, sources) outside the repository, in
    $PURSE_WORLD_VYPER_CACHE or ~/.cache/purse-local-world; PURSE_WORLD_VYPER_CACHE=0 disables it."""
    import hashlib
    import os
    from importlib.metadata import version

    setting = os.environ.get("PURSE_WORLD_VYPER_CACHE", "")
    if setting == "0":
        return None
    base = Path(setting) if setting else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "purse-local-world"
    h = hashlib.sha256(f"vyper {version('vyper')}".encode())
    for name, rel in sorted(SOURCES.items()):
        h.update(name.encode() + b"\0" + (HERE / rel).read_bytes() + b"\0")
    return base / f"permit2-contracts-{h.hexdigest()[:32]}.json"


class CompileJob:
    """Compile in a child process, in parallel with the rest of the world's start-up (or read the
    cached output of an earlier compile of the very same sources)."""

    def __init__(self):
        self.proc = None
        self.cached: dict | None = None
        self.cache = _cache_file()
        if self.cache is not None and self.cache.is_file():
            try:
                self.cached = json.loads(self.cache.read_text())
                if set(self.cached) != set(SOURCES):
                    self.cached = None
            except (OSError, ValueError):
                self.cached = None
        if self.cached is None:
            self.proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--compile"],
                                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def result(self, timeout: float = 120) -> dict[str, dict]:
        if self.cached is not None:
            return self.cached
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            raise RuntimeError("compiling the Permit2 contracts timed out") from None
        if self.proc.returncode != 0:
            raise RuntimeError(f"compiling the Permit2 contracts failed:\n{err.decode(errors='replace')}")
        compiled = json.loads(out)
        if self.cache is not None:
            try:
                self.cache.parent.mkdir(parents=True, exist_ok=True)
                tmp = self.cache.with_name(self.cache.name + f".tmp{self.proc.pid}")
                tmp.write_text(json.dumps(compiled))
                tmp.replace(self.cache)
            except OSError as e:
                log.warning("could not cache the compiled contracts: %s", e)
        return compiled

    def cancel(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def _selector(sig: str) -> bytes:
    from eth_utils import keccak

    return keccak(text=sig)[:4]


def call_data(sig: str, types: list[str], args: list) -> str:
    from eth_abi import encode

    return "0x" + (_selector(sig) + encode(types, args)).hex()


@dataclass
class Permit2Setup:
    permit_token: str
    plain_token: str
    deployer: str
    approved_payer: dict
    unapproved_payer: dict


def install(chain, compiled: dict[str, dict]) -> Permit2Setup:
    """Place Permit2 + proxies, deploy and fund the tokens, approve Permit2 for one payer: one block."""
    import rlp
    from eth_account import Account
    from eth_utils import keccak, to_bytes, to_canonical_address, to_checksum_address, to_hex

    deployer = Account.from_key(DEPLOYER_KEY)
    approved = Account.from_key(APPROVED_PAYER_KEY)
    unapproved = Account.from_key(UNAPPROVED_PAYER_KEY)
    backend, tester = chain.backend, chain.tester
    with chain.lock:
        chain._sync_clock()
        for acct in (deployer, approved):
            backend.add_account(bytes(acct.key))
        vm = backend.chain.get_vm()
        state = vm.state
        for name, addr in PLACED.items():
            state.set_code(to_canonical_address(addr), bytes.fromhex(compiled[name]["bytecode_runtime"][2:]))
        state.set_balance(to_canonical_address(deployer.address), 1000 * 10**18)
        state.set_balance(to_canonical_address(approved.address), APPROVED_PAYER_ETH)
        state.persist()
        backend.chain.header = backend.chain.header.copy(state_root=state.state_root)

        nonce = tester.get_nonce(deployer.address)

        def created(n: int) -> str:
            return to_checksum_address(keccak(rlp.encode([to_bytes(hexstr=deployer.address), n]))[12:])

        permit_token, plain_token = created(nonce), created(nonce + 1)
        norm = tester.normalizer.normalize_inbound_transaction
        txs = [{"from": deployer.address, "data": compiled["PermitToken"]["bytecode"], "gas": 3_000_000,
                "nonce": nonce},
               {"from": deployer.address, "data": compiled["PlainToken"]["bytecode"], "gas": 3_000_000,
                "nonce": nonce + 1}]
        n = nonce + 2
        for token in (permit_token, plain_token):
            for payer in (approved, unapproved):
                txs.append({"from": deployer.address, "to": token, "gas": 200_000, "nonce": n,
                            "data": call_data("mint(address,uint256)", ["address", "uint256"],
                                              [payer.address, PAYER_FUNDS])})
                n += 1
        for i, token in enumerate((permit_token, plain_token)):
            txs.append({"from": approved.address, "to": token, "gas": 100_000, "nonce": i,
                        "data": call_data("approve(address,uint256)", ["address", "uint256"], [PERMIT2, MAX_UINT256])})
        hashes = [to_hex(backend.send_transaction(norm(tx))) for tx in txs]
        tester.mine_blocks(1)
        for h in hashes:
            r = tester.get_transaction_receipt(h)
            if r["status"] != 1:
                raise RuntimeError(f"Permit2 setup transaction {h} failed")
            chain._record_logs(h)
        assert tester.get_transaction_receipt(hashes[0])["contract_address"] == permit_token
    return Permit2Setup(
        permit_token=permit_token, plain_token=plain_token, deployer=deployer.address,
        approved_payer={"address": approved.address, "privateKey": APPROVED_PAYER_KEY,
                        "permit2Allowance": "max", "eth": str(APPROVED_PAYER_ETH)},
        unapproved_payer={"address": unapproved.address, "privateKey": UNAPPROVED_PAYER_KEY,
                          "permit2Allowance": "0", "eth": "0"},
    )


class ApprovalBundleSigner:
    """The erc20ApprovalGasSponsoring extension signer: `send_transactions([signedApproveTx,
    WriteContractCall])` tops up the payer's gas from the world's deployer if needed (the spec's
    `from.transfer(gas_amount)`), broadcasts the payer's approval, waits for it, then sends the
    settle call with the facilitator's signer. Returns both hashes; the SDK waits for the last."""

    def __init__(self, signer, chain, sponsor: str):
        self.signer, self.chain, self.sponsor = signer, chain, sponsor
        self._lock = threading.Lock()

    def get_addresses(self) -> list[str]:
        return self.signer.get_addresses()

    def send_transactions(self, transactions: list) -> list[str]:
        from eth_utils import to_bytes, to_checksum_address, to_hex
        from x402.mechanisms.evm.constants import ERR_ERC20_APPROVAL_TX_FAILED

        hashes: list[str] = []
        for item in transactions:
            if isinstance(item, str):
                with self._lock:
                    vm = self.chain.backend.chain.get_vm()
                    tx = vm.get_transaction_builder().decode(to_bytes(hexstr=item))
                    sender = to_checksum_address(tx.sender)
                    need = tx.gas * tx.max_fee_per_gas + tx.value
                    have = int(self.chain.rpc("eth_getBalance", [sender, "latest"]), 16)
                    if have < need:
                        self.chain.send_transaction({"from": self.sponsor, "to": sender, "value": hex(need - have),
                                                     "gas": hex(21_000)})
                    try:
                        h = self.chain.send_raw(item)
                    except Exception as e:  # noqa: BLE001
                        raise RuntimeError(f"{ERR_ERC20_APPROVAL_TX_FAILED}: {e}") from e
                    receipt = self.chain.tester.get_transaction_receipt(h)
                    if receipt["status"] != 1:
                        raise RuntimeError(f"{ERR_ERC20_APPROVAL_TX_FAILED}: approval {h} reverted")
                    hashes.append(to_hex(to_bytes(hexstr=h)))
            else:
                hashes.append(self.signer.write_contract(item.address, item.abi, item.function, *item.args,
                                                         data_suffix=item.data_suffix))
        return hashes

    def wait_for_transaction_receipt(self, tx_hash: str):
        return self.signer.wait_for_transaction_receipt(tx_hash)


def register_facilitator(fac, signer, chain, network: str, sponsor: str) -> None:
    """Add upto (EVM) and the two Permit2 approval extensions to the world's facilitator; its
    exact EVM scheme already routes Permit2 payloads (assetTransferMethod "permit2")."""
    from x402.extensions.eip2612_gas_sponsoring import EIP2612_GAS_SPONSORING
    from x402.extensions.erc20_approval_gas_sponsoring import Erc20ApprovalFacilitatorExtension
    from x402.mechanisms.evm.upto.facilitator import UptoEvmScheme

    fac.register([network], UptoEvmScheme(signer))
    fac.register_extension(EIP2612_GAS_SPONSORING)
    fac.register_extension(Erc20ApprovalFacilitatorExtension(signer=ApprovalBundleSigner(signer, chain, sponsor)))


def rpc_methods(chain, setup: Permit2Setup) -> dict[str, Any]:
    """World-only RPC: world_mintToken(token, to, atomic) (either Permit2-world token, minted by
    its deployer) and world_faucet(to, wei) (ETH from the same deployer)."""
    from eth_utils import to_checksum_address

    tokens = {setup.permit_token.lower(), setup.plain_token.lower()}

    def mint_token(params: list) -> str:
        token, to, amount = params[0], to_checksum_address(params[1]), int(str(params[2]), 0)
        if str(token).lower() not in tokens:
            from chain import RPCError

            raise RPCError(-32602, f"world_mintToken mints only {sorted(tokens)}")
        return chain.send_transaction({"from": setup.deployer, "to": token, "gas": hex(200_000),
                                       "data": call_data("mint(address,uint256)", ["address", "uint256"], [to, amount])})

    def faucet(params: list) -> str:
        return chain.send_transaction({"from": setup.deployer, "to": to_checksum_address(params[0]),
                                       "value": hex(int(str(params[1]), 0)), "gas": hex(21_000)})

    return {"world_mintToken": mint_token, "world_faucet": faucet}


if __name__ == "__main__":
    if sys.argv[1:] == ["--compile"]:
        json.dump(compile_contracts(), sys.stdout)
        sys.exit(0)
    print(__doc__, file=sys.stderr)
    sys.exit(2)
