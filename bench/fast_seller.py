"""A fast local x402 v2 seller for benchmarks. TEST ONLY: it never touches a chain.

It verifies the EIP-3009 `transferWithAuthorization` signature in-process (recovers the signer
from the EIP-712 digest with coincurve when installed, else eth-keys) and checks it against the
offer, so a paid request costs the seller tens of microseconds instead of a facilitator round
trip and a settlement. Nonces are not spent (there is no chain): replays are accepted but counted.

Routes (127.0.0.1 only, HTTP/1.1 keep-alive, Nagle off):
    GET /paid    402 + PAYMENT-REQUIRED (v2, one `exact` option on eip155:84532); with a valid
                 PAYMENT-SIGNATURE: 200, PAYMENT-RESPONSE receipt (tx hash = keccak(nonce)),
                 X-Verify-Micros: <µs spent verifying>; an invalid payment: 402 with the reason.
                 Every answer carries X-Seller-Micros: the seller's own time for the request, from
                 its first line to the response's headers (headers read, route's work).
    GET /plain   200 small JSON (the floor: a plain round trip).
    GET /stats   200 {"paid", "replays", "invalid", "unpaid"}.

As a program:  python bench/fast_seller.py [--port 0] [--no-stdin-watch]
    prints `READY <port>` on stdout, then runs until stdin closes (EOF), SIGTERM or SIGINT.
As a module:   with FastSeller() as s: ... s.url ...
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import signal
import stat
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from eth_utils import keccak

try:  # the fast path
    from coincurve import PublicKey as _CCPublicKey

    HAVE_COINCURVE = True
except ImportError:  # pragma: no cover - depends on the venv
    _CCPublicKey = None
    HAVE_COINCURVE = False

NETWORK = "eip155:84532"
CHAIN_ID = 84532
TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
PAY_TO = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
AMOUNT = "10000"
MAX_TIMEOUT = 300
EXTRA = {"name": "USDC", "version": "2"}
# Clock skew tolerated on validBefore beyond maxTimeoutSeconds (clients round differently).
SKEW = 600

OFFER: dict[str, Any] = {
    "scheme": "exact", "network": NETWORK, "asset": TOKEN, "amount": AMOUNT, "payTo": PAY_TO,
    "maxTimeoutSeconds": MAX_TIMEOUT, "extra": dict(EXTRA),
}

_DOMAIN_TYPEHASH = keccak(b"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
_TWA_TYPEHASH = keccak(
    b"TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,"
    b"uint256 validBefore,bytes32 nonce)")
_SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def _u256(v: int) -> bytes:
    return v.to_bytes(32, "big")


def _addr_word(a: str) -> bytes:
    raw = bytes.fromhex(a[2:] if a.startswith(("0x", "0X")) else a)
    if len(raw) != 20:
        raise ValueError("bad address")
    return b"\x00" * 12 + raw


def domain_separator(name: str, version: str, chain_id: int, contract: str) -> bytes:
    return keccak(_DOMAIN_TYPEHASH + keccak(name.encode()) + keccak(version.encode()) + _u256(chain_id)
                  + _addr_word(contract))


_DOMAIN = domain_separator(EXTRA["name"], EXTRA["version"], CHAIN_ID, TOKEN)


def authorization_digest(auth: dict, domain: bytes = _DOMAIN) -> bytes:
    nonce = bytes.fromhex(auth["nonce"][2:])
    if len(nonce) != 32:
        raise ValueError("bad nonce")
    struct = keccak(_TWA_TYPEHASH + _addr_word(auth["from"]) + _addr_word(auth["to"]) + _u256(int(auth["value"]))
                    + _u256(int(auth["validAfter"])) + _u256(int(auth["validBefore"])) + nonce)
    return keccak(b"\x19\x01" + domain + struct)


def recover_address(digest: bytes, sig: bytes) -> str:
    """The lowercase 0x address that signed `digest` (65-byte r||s||v, v in {0,1,27,28})."""
    if len(sig) != 65:
        raise ValueError("signature must be 65 bytes")
    v = sig[64]
    if v >= 27:
        v -= 27
    if v not in (0, 1):
        raise ValueError("bad recovery id")
    s = int.from_bytes(sig[32:64], "big")
    if not 0 < s <= _SECP256K1_N // 2:  # EIP-2: high-s signatures are malleable, refuse them
        raise ValueError("high s")
    if HAVE_COINCURVE:
        pub = _CCPublicKey.from_signature_and_message(sig[:64] + bytes([v]), digest, hasher=None)
        raw = pub.format(compressed=False)[1:]
    else:
        from eth_keys import keys

        raw = keys.Signature(sig[:64] + bytes([v])).recover_public_key_from_msg_hash(digest).to_bytes()
    return "0x" + keccak(raw)[-20:].hex()


class PaymentInvalid(Exception):
    pass


def verify_payment_header(header: str, now: float | None = None) -> dict:
    """Checks a PAYMENT-SIGNATURE header against OFFER. Returns the authorization; raises
    PaymentInvalid(reason) otherwise."""
    try:
        payload = json.loads(base64.b64decode(header, validate=False))
    except Exception as e:  # noqa: BLE001
        raise PaymentInvalid("invalid_payload") from e
    if not isinstance(payload, dict) or payload.get("x402Version") != 2:
        raise PaymentInvalid("invalid_x402_version")
    acc = payload.get("accepted") or {}
    if (acc.get("scheme") != "exact" or acc.get("network") != NETWORK or str(acc.get("amount")) != AMOUNT
            or str(acc.get("asset", "")).lower() != TOKEN.lower()
            or str(acc.get("payTo", "")).lower() != PAY_TO.lower()):
        raise PaymentInvalid("no_matching_requirements")
    inner = payload.get("payload") or {}
    auth = inner.get("authorization") or {}
    try:
        if str(auth["to"]).lower() != PAY_TO.lower():
            raise PaymentInvalid("invalid_exact_evm_payload_recipient_mismatch")
        if int(auth["value"]) != int(AMOUNT):
            raise PaymentInvalid("invalid_exact_evm_payload_authorization_value")
        t = int(now if now is not None else time.time())
        if int(auth["validAfter"]) > t:
            raise PaymentInvalid("invalid_exact_evm_payload_authorization_valid_after")
        vb = int(auth["validBefore"])
        if vb <= t + 6 or vb > t + MAX_TIMEOUT + SKEW:
            raise PaymentInvalid("invalid_exact_evm_payload_authorization_valid_before")
        sig_hex = inner["signature"]
        sig = bytes.fromhex(sig_hex[2:] if sig_hex.startswith("0x") else sig_hex)
        signer = recover_address(authorization_digest(auth), sig)
    except PaymentInvalid:
        raise
    except Exception as e:  # noqa: BLE001 - malformed fields, bad signature encoding
        raise PaymentInvalid("invalid_exact_evm_payload_signature") from e
    if signer != str(auth["from"]).lower():
        raise PaymentInvalid("invalid_exact_evm_payload_signature")
    return auth


def _b64json(obj: Any) -> str:
    return base64.b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode()


class _Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.paid = self.replays = self.invalid = self.unpaid = 0
        self.nonces: set[str] = set()

    def snapshot(self) -> dict:
        with self.lock:
            return {"paid": self.paid, "replays": self.replays, "invalid": self.invalid, "unpaid": self.unpaid}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "fast-seller"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass

    def parse_request(self) -> bool:
        # The seller's own time for a request starts here, once its first line has arrived:
        # reading the headers, the route's work (building an offer, verifying a payment, a
        # receipt), up to the response's headers (X-Seller-Micros).
        self._t0 = time.perf_counter_ns()
        return super().parse_request()

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("X-Seller-Micros", str((time.perf_counter_ns() - self._t0) // 1000))
        self.end_headers()
        self.wfile.write(body)

    def _payment_required(self, error: str) -> None:
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
        pr = {"x402Version": 2, "error": error,
              "resource": {"url": f"http://{host}/paid", "description": "fast bench seller",
                           "mimeType": "application/json"},
              "accepts": [OFFER]}
        self._send(402, b"{}", {"PAYMENT-REQUIRED": _b64json(pr), "Cache-Control": "no-store"})

    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0]
        stats: _Stats = self.server.stats  # type: ignore[attr-defined]
        if path == "/plain":
            self._send(200, b'{"ok":true}')
        elif path == "/paid":
            header = self.headers.get("PAYMENT-SIGNATURE")
            if not header:
                with stats.lock:
                    stats.unpaid += 1
                self._payment_required("Payment required")
                return
            t0 = time.perf_counter_ns()
            try:
                auth = verify_payment_header(header)
            except PaymentInvalid as e:
                with stats.lock:
                    stats.invalid += 1
                self._payment_required(str(e))
                return
            micros = (time.perf_counter_ns() - t0) // 1000
            nonce = auth["nonce"].lower()
            with stats.lock:
                stats.paid += 1
                if nonce in stats.nonces:
                    stats.replays += 1
                else:
                    stats.nonces.add(nonce)
            receipt = {"success": True, "payer": auth["from"],
                       "transaction": "0x" + keccak(bytes.fromhex(nonce[2:])).hex(), "network": NETWORK}
            self._send(200, b'{"paid":true,"data":"fast"}',
                       {"PAYMENT-RESPONSE": _b64json(receipt), "X-Verify-Micros": str(micros)})
        elif path == "/stats":
            self._send(200, json.dumps(stats.snapshot()).encode())
        else:
            self._send(404, b'{"error":"not found"}')


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


class FastSeller:
    """In-process use: `with FastSeller() as s: httpx.get(s.url + "/paid")`."""

    def __init__(self, port: int = 0) -> None:
        self.httpd = _Server(("127.0.0.1", port), _Handler)
        self.httpd.stats = _Stats()  # type: ignore[attr-defined]
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread: threading.Thread | None = None

    @property
    def stats(self) -> dict:
        return self.httpd.stats.snapshot()  # type: ignore[attr-defined]

    def start(self) -> FastSeller:
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="fast-seller", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.httpd.server_close()

    def __enter__(self) -> FastSeller:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def _stdin_is_devnull() -> bool:
    try:
        st, nul = os.fstat(0), os.stat(os.devnull)
        return stat.S_ISCHR(st.st_mode) and st.st_rdev == nul.st_rdev
    except OSError:
        return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--no-stdin-watch", action="store_true", help="do not exit when stdin closes")
    args = ap.parse_args(argv)
    seller = FastSeller(args.port)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    if not args.no_stdin_watch and not _stdin_is_devnull():
        def watch() -> None:
            try:
                while sys.stdin.buffer.read(4096):
                    pass
            except (OSError, ValueError):
                pass
            done.set()
        threading.Thread(target=watch, name="stdin-watch", daemon=True).start()
    seller.start()
    print(f"READY {seller.port}", flush=True)
    print(f"fast_seller: {seller.url} (verify: {'coincurve' if HAVE_COINCURVE else 'eth-keys'})", file=sys.stderr,
          flush=True)
    try:
        while not done.wait(0.5):
            pass
    finally:
        seller.stop()
        print(f"fast_seller: stopped {json.dumps(seller.stats)}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
