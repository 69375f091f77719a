"""Loopback listening sockets made the way that keeps keep-alive fast (TEST ONLY helpers)."""

import socket


def listen_socket(host: str = "127.0.0.1", port: int = 0, backlog: int = 128) -> socket.socket:
    """A bound, listening TCP socket on a loopback address.

    Created with proto=IPPROTO_TCP on purpose: asyncio (uvicorn) sets TCP_NODELAY on accepted
    connections only when the listening socket's proto is IPPROTO_TCP, and without it Nagle plus
    delayed ACK adds about 40 ms to every keep-alive response (docs/test-world.md, pitfall 7).
    """
    if not host.startswith("127."):
        raise ValueError(f"the local world binds loopback addresses only, not {host}")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    return sock


def stop_socketserver(srv, thread, timeout: float = 2.0) -> None:
    """Stop a socketserver whose serve_forever runs in `thread`, waiting at most `timeout` s.

    BaseServer.shutdown() waits without a timeout for serve_forever to notice; on this sandbox a
    stop under load was seen to hang there. Setting the same flag shutdown() sets and joining with
    a bound keeps every stop bounded (the threads are daemons; the process exits regardless).
    """
    srv._BaseServer__shutdown_request = True
    thread.join(timeout)
    srv.server_close()
