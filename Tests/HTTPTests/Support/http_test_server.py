#!/usr/bin/env python3
"""Local HTTP server for Purse's HTTPTests (stdlib only).

usage: http_test_server.py HOST LOGFILE

Listens on HOST with a free port, prints "READY <port>" on stdout, and appends one JSON line per
request to LOGFILE: method, raw path (absolute-form when used as a proxy), headers, body length,
client address and port. Exits when stdin closes (the test process went away) or after
MAX_LIFETIME seconds, so a crashed test run leaves nothing behind.
"""
import json
import os
import select
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MAX_LIFETIME = 600
LOG_LOCK = threading.Lock()
BARRIERS_LOCK = threading.Lock()
BARRIERS = {}
LOG_PATH = ""


def pattern(n):
    """n deterministic bytes: i % 251."""
    return bytes(i % 251 for i in range(n))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "PurseTestServer/1"
    sys_version = ""

    def log_message(self, *args):  # keep stderr quiet
        pass

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def _log(self, body):
        rec = {
            "method": self.command,
            "path": self.path,
            "headers": [[k, v] for k, v in self.headers.items()],
            "body_len": len(body),
            "client_host": self.client_address[0],
            "client_port": self.client_address[1],
        }
        with LOG_LOCK:
            with open(LOG_PATH, "a") as f:
                f.write(json.dumps(rec) + "\n")

    def _event(self, name):
        """Logs an event about the current request (not a request: it has no headers)."""
        with LOG_LOCK:
            with open(LOG_PATH, "a") as f:
                f.write(json.dumps({"event": name, "path": self.path}) + "\n")

    def _send(self, code, body=b"", ctype="application/json", extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        if code not in (204, 304) and not (100 <= code < 200):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and code not in (204, 304):
            self.wfile.write(body)

    def _json(self, code, obj, extra=()):
        self._send(code, json.dumps(obj).encode(), extra=extra)

    def _handle(self):
        body = self._read_body()
        self._log(body)
        url = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        route = url.path
        try:
            if route == "/ok":
                self._json(200, {"ok": True, "path": self.path})
            elif route == "/echo":
                self._json(200, {
                    "method": self.command,
                    "path": self.path,
                    "headers": [[k, v] for k, v in self.headers.items()],
                    "body_hex": body.hex(),
                })
            elif route == "/redirect-other":
                self._send(302, b"", extra=[("Location", q.get("to", "/"))])
            elif route == "/big":
                n = int(q.get("n", "0"))
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(n))
                self.end_headers()
                data = pattern(n)
                for i in range(0, n, 65536):
                    self.wfile.write(data[i:i + 65536])
            elif route == "/chunked":
                n = int(q.get("n", "0"))
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                data = pattern(n)
                for i in range(0, n, 16384):
                    part = data[i:i + 16384]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.write(b"0\r\nX-Trailer: t\r\n\r\n")
            elif route == "/slow":
                ms = int(q.get("ms", "1000"))
                time.sleep(ms / 1000.0)
                self._json(200, {"slept_ms": ms})
            elif route == "/hold":
                # Holds the request without answering until the client hangs up (logged as the
                # event "client_closed", so a test can prove its cancel closed the connection) or
                # ms pass (then answers). Waits on the socket, not on a timer loop.
                ms = int(q.get("ms", "60000"))
                readable, _, _ = select.select([self.connection], [], [], ms / 1000.0)
                hung_up = False
                if readable:
                    try:
                        hung_up = self.connection.recv(1, socket.MSG_PEEK) == b""
                    except OSError:
                        hung_up = True
                if hung_up:
                    self._event("client_closed")
                    self.close_connection = True
                else:
                    self._json(200, {"held_ms": ms})
            elif route == "/barrier":
                # Answers together=true only if n requests with this name are in flight at once.
                with BARRIERS_LOCK:
                    barrier = BARRIERS.setdefault(q.get("name", ""), threading.Barrier(int(q.get("n", "2"))))
                try:
                    barrier.wait(timeout=float(q.get("timeout", "10")))
                    together = True
                except threading.BrokenBarrierError:
                    together = False
                self._json(200, {"together": together})
            elif route == "/drip":
                n = int(q.get("n", "60"))
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(n))
                self.end_headers()
                for _ in range(n):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(1.0)
            elif route == "/close":
                self.close_connection = True  # no answer at all
            elif route == "/status":
                code = int(q.get("code", "200"))
                self._json(code, {"status": code})
            elif route == "/continue":
                # An interim 100 with its own header, then the final answer.
                self.wfile.write(b"HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n")
                self._json(200, {"final": True}, extra=[("X-Final", "yes")])
            elif route == "/bigheaders":
                n = int(q.get("n", "100"))
                self._json(200, {"headers": n}, extra=[("X-Fill-%d" % i, "f" * 100) for i in range(n)])
            elif route == "/folded":
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Folded: first\r\n  second\r\n"
                                 b"X-Multi: a\r\nX-Multi: b\r\n\r\n{}")
            else:
                self._json(404, {"error": "no route", "path": self.path})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _handle


def main():
    global LOG_PATH
    host, LOG_PATH = sys.argv[1], sys.argv[2]
    open(LOG_PATH, "a").close()
    server = ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(1):
                pass
        finally:
            os._exit(0)

    def watch_clock():
        time.sleep(MAX_LIFETIME)
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    threading.Thread(target=watch_clock, daemon=True).start()
    print("READY %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
