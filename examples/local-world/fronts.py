"""Small threaded socket servers of the local world. TEST ONLY.

- OtherHost: a plain HTTP server on 127.0.0.2 that logs the header names of every request;
  `GET /seen` returns them as a JSON list of lists (its own /seen requests are not logged).
- DropFront: a raw TCP front proxying to the seller's `/weather`. The FIRST request carrying a
  payment header for a given nonce is read whole and the connection closed with no answer and
  nothing forwarded; a later request with the same nonce is forwarded and the answer relayed.
  `GET /drop-log` returns {"nonces":[every payment nonce seen, in order, repeats included],
  "dropped":[...]}.
"""

from __future__ import annotations

import base64
import json
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from netutil import listen_socket, stop_socketserver


def _prebound(server_cls, handler, host: str):
    srv = server_cls((host, 0), handler, bind_and_activate=False)
    srv.daemon_threads = True
    srv.socket.close()
    srv.socket = listen_socket(host, 0)
    srv.server_address = srv.socket.getsockname()
    return srv


class _Threaded:
    def start(self):
        self.thread = threading.Thread(target=self.srv.serve_forever, kwargs={"poll_interval": 0.1},
                                       name=type(self).__name__, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        stop_socketserver(self.srv, self.thread)

    @property
    def port(self) -> int:
        return self.srv.server_address[1]


class OtherHost(_Threaded):
    def __init__(self, host: str = "127.0.0.2"):
        seen: list[dict] = []
        lock = threading.Lock()
        self.seen = seen

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def _answer(self, obj, status=200):
                data = json.dumps(obj).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            def _any(self):
                path = urlsplit(self.path).path
                if path == "/seen":
                    with lock:
                        return self._answer([e["headers"] for e in seen])
                if path == "/seen-detail":
                    with lock:
                        return self._answer(list(seen))
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                with lock:
                    seen.append({"method": self.command, "path": self.path,
                                 "headers": [k for k in self.headers.keys()]})
                self._answer({"collected": True, "host": "other"})

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

        self.srv = _prebound(ThreadingHTTPServer, Handler, host)


def _read_request(sock: socket.socket) -> bytes | None:
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
        if len(buf) > 1 << 20:
            return None
    head, _, rest = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head + b"\r\n\r\n" + rest


def _payment_nonce(header_value: str) -> str | None:
    try:
        payload = json.loads(base64.b64decode(header_value))
        return str(payload["payload"]["authorization"]["nonce"]).lower()
    except Exception:  # noqa: BLE001 - not an EIP-3009 payload: key on the raw header
        return "raw:" + header_value[:64]


class DropFront(_Threaded):
    def __init__(self, seller_host: str, seller_port: int, target_path: str = "/weather",
                 host: str = "127.0.0.1"):
        nonces: list[str] = []
        dropped: set[str] = set()
        lock = threading.Lock()
        self.nonces = nonces

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                conn: socket.socket = self.request
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                try:
                    req = _read_request(conn)
                    if req is None:
                        return
                    head, _, body = req.partition(b"\r\n\r\n")
                    lines = head.decode("latin-1").split("\r\n")
                    method, path, version = (lines[0].split(" ") + ["", "", ""])[:3]
                    headers = []
                    pay = None
                    for line in lines[1:]:
                        k, _, v = line.partition(":")
                        lk = k.strip().lower()
                        if lk in ("payment-signature", "x-payment"):
                            pay = v.strip()
                        if lk in ("host", "connection", "keep-alive"):
                            continue
                        headers.append((k.strip(), v.strip()))
                    if urlsplit(path).path == "/drop-log":
                        with lock:
                            data = json.dumps({"nonces": list(nonces), "dropped": sorted(dropped)}).encode()
                        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                     b"Connection: close\r\nContent-Length: " + str(len(data)).encode()
                                     + b"\r\n\r\n" + data)
                        return
                    if pay is not None:
                        nonce = _payment_nonce(pay)
                        with lock:
                            nonces.append(nonce)
                            first = nonce not in dropped
                            if first:
                                dropped.add(nonce)
                        if first:
                            # Read it all, answer nothing, forward nothing.
                            conn.shutdown(socket.SHUT_RDWR)
                            return
                    query = urlsplit(path).query
                    fwd_path = target_path + ("?" + query if query else "")
                    out = [f"{method} {fwd_path} {version}", f"Host: {seller_host}:{seller_port}",
                           "Connection: close"] + [f"{k}: {v}" for k, v in headers]
                    up = socket.create_connection((seller_host, seller_port), timeout=30)
                    try:
                        up.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                        up.sendall("\r\n".join(out).encode("latin-1") + b"\r\n\r\n" + body)
                        while True:
                            chunk = up.recv(65536)
                            if not chunk:
                                break
                            conn.sendall(chunk)
                    finally:
                        up.close()
                except OSError:
                    pass

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True

        self.srv = _prebound(Server, Handler, host)


class IdDropFront(_Threaded):
    """A raw TCP front for the payment-identifier "lost response" case.

    Every request is forwarded to the seller unchanged (Host kept, so the seller's resource URL
    names this front) with `Connection: close`, and the whole answer is read. For `drop_path`
    only: the FIRST 200 answer for each payment id (extensions["payment-identifier"].info.id of the
    PAYMENT-SIGNATURE payload) is thrown away and the client connection closed without a byte,
    after the seller has verified, settled and cached it. Everything else is relayed as is, so
    resending the identical payload gets the seller's cached answer.

    `GET /id-log` is the seller's /id-log with "dropped": [ids] added.
    """

    def __init__(self, seller_host: str, seller_port: int, drop_path: str = "/weather-id-drop",
                 host: str = "127.0.0.1"):
        dropped: list[str] = []
        lock = threading.Lock()
        self.dropped = dropped

        def payment_id(header_value: str) -> str | None:
            try:
                payload = json.loads(base64.b64decode(header_value))
                pid = payload["extensions"]["payment-identifier"]["info"]["id"]
                return pid if isinstance(pid, str) else None
            except Exception:  # noqa: BLE001
                return None

        def upstream(method: str, path: str, version: str, headers: list, body: bytes) -> bytes:
            out = [f"{method} {path} {version}"] + [f"{k}: {v}" for k, v in headers] + ["Connection: close"]
            up = socket.create_connection((seller_host, seller_port), timeout=30)
            try:
                up.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                up.sendall("\r\n".join(out).encode("latin-1") + b"\r\n\r\n" + body)
                chunks = []
                while True:
                    chunk = up.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                return b"".join(chunks)
            finally:
                up.close()

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                conn: socket.socket = self.request
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                conn.settimeout(30)
                try:
                    req = _read_request(conn)
                    if req is None:
                        return
                    head, _, body = req.partition(b"\r\n\r\n")
                    lines = head.decode("latin-1").split("\r\n")
                    method, path, version = (lines[0].split(" ") + ["", "", ""])[:3]
                    headers, pay = [], None
                    for line in lines[1:]:
                        k, _, v = line.partition(":")
                        lk = k.strip().lower()
                        if lk == "payment-signature":
                            pay = v.strip()
                        if lk in ("connection", "keep-alive"):
                            continue
                        headers.append((k.strip(), v.strip()))
                    route = urlsplit(path).path
                    if route == "/id-log":
                        answer = upstream("GET", "/id-log", "HTTP/1.1", [("Host", f"{seller_host}:{seller_port}")], b"")
                        _, _, data = answer.partition(b"\r\n\r\n")
                        log = json.loads(data)
                        with lock:
                            log["dropped"] = list(dropped)
                        data = json.dumps(log).encode()
                        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                     b"Connection: close\r\nContent-Length: " + str(len(data)).encode()
                                     + b"\r\n\r\n" + data)
                        return
                    answer = upstream(method, path, version, headers, body)
                    status = answer.split(b"\r\n", 1)[0].split(b" ")
                    ok = len(status) > 1 and status[1] == b"200"
                    if route == drop_path and pay is not None and ok:
                        pid = payment_id(pay)
                        if pid is not None:
                            with lock:
                                first = pid not in dropped
                                if first:
                                    dropped.append(pid)
                            if first:
                                conn.shutdown(socket.SHUT_RDWR)
                                return
                    conn.sendall(answer)
                except OSError:
                    pass

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True

        self.srv = _prebound(Server, Handler, host)
