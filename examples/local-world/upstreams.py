"""Launcher for the paid upstream MCP servers (upstream_mcp.py), for pytest fixtures. TEST ONLY.

    from upstreams import start_upstream

    up = start_upstream(world, "stdio", "spec")            # nothing runs yet: a gateway spawns it
    up.command, up.args, up.env                            # what to spawn (env: add to the gateway's)
    up = start_upstream(world, "http", "cloudflare")       # started now; up.url ends in /mcp
    up.stats()                                             # the server's counters (JSON file)
    up.stop()                                              # idempotent; also a context manager

`world` is the parsed world.json of a running world (or its path). Each handle owns a temporary
directory holding a copy of world.json, the counters file and (HTTP) the server's stderr log.

Also here, for tests: `open_session(handle)` (an official `mcp` ClientSession over the handle's
transport) and `X402SessionAdapter`, which lets the SDK's `x402.mcp.client_async.x402MCPClient`
drive an `mcp` 2.3.0 ClientSession (it expects `call_tool(params_dict)` and reads `_meta`,
`isError`, `structuredContent` and dict content from the result).
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, AsyncIterator, TextIO

HERE = Path(__file__).resolve().parent
UPSTREAM = HERE / "upstream_mcp.py"
READY_PREFIX = "UPSTREAM_READY "
START_TIMEOUT = float(os.environ.get("PURSE_UPSTREAM_TIMEOUT", "30"))


@dataclass
class UpstreamHandle:
    transport: str
    convention: str
    hostile: str | None
    workdir: Path
    command: str
    args: list[str]
    env: dict[str, str]
    stats_path: Path
    url: str | None = None
    proc: subprocess.Popen | None = None
    stderr_path: Path | None = None
    _stopped: bool = field(default=False, repr=False)

    @property
    def argv(self) -> list[str]:
        return [self.command, *self.args]

    def stats(self) -> dict:
        """The counters the server last wrote (see README: tools.<name>.calls/runs, paymentRequired,
        paymentsReceived, verified, settlements, settleFailures, refused, transactions, payers,
        lastError, pid). Empty dict if a stdio server was never spawned."""
        try:
            return json.loads(self.stats_path.read_text())
        except FileNotFoundError:
            return {}

    def alive(self) -> bool:
        pid = self._pid()
        return pid is not None and _pid_is_ours(pid, self.stats_path)

    def wait_ready(self, timeout: float = START_TIMEOUT) -> "UpstreamHandle":
        """HTTP: wait for the server's `UPSTREAM_READY {json}` line on stdout, then set `url`.
        Stops the server and raises if it exits or is not ready within `timeout` seconds."""
        if self.transport != "http" or self.url is not None:
            return self
        assert self.proc is not None and self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        buf = b""
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            while b"\n" not in buf:
                left = deadline - time.monotonic()
                if left <= 0:
                    self.stop()
                    raise TimeoutError(f"upstream (http) not ready after {timeout} s")
                if sel.select(left):
                    chunk = os.read(self.proc.stdout.fileno(), 65536)
                    if not chunk:
                        code = self.proc.wait(5)
                        tail = self.stderr_path.read_text(errors="replace")[-2000:] if self.stderr_path else ""
                        self.stop()
                        raise RuntimeError(f"upstream (http) exited with {code} before ready:\n{tail}")
                    buf += chunk
        line = buf.split(b"\n", 1)[0].decode()
        if not line.startswith(READY_PREFIX):
            self.stop()
            raise RuntimeError(f"unexpected first line from upstream: {line!r}")
        self.url = json.loads(line[len(READY_PREFIX):])["url"]
        return self

    def _pid(self) -> int | None:
        if self.proc is not None:
            return self.proc.pid if self.proc.poll() is None else None
        return self.stats().get("pid")

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the server this handle started (HTTP), or a stdio server a gateway spawned from
        this handle and left running (found by the pid in its counters file, checked against its
        command line). Then remove the handle's directory."""
        if self._stopped:
            return
        self._stopped = True
        try:
            if self.proc is not None:
                if self.proc.poll() is None:
                    self.proc.send_signal(signal.SIGTERM)
                    try:
                        self.proc.wait(timeout)
                    except subprocess.TimeoutExpired:
                        self.proc.kill()
                        self.proc.wait(timeout)
                if self.proc.stdout:
                    self.proc.stdout.close()
            else:
                pid = self.stats().get("pid")
                if pid and _pid_is_ours(pid, self.stats_path):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "UpstreamHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def _pid_is_ours(pid: int, stats_path: Path) -> bool:
    """True when `pid` is alive and is the upstream that writes `stats_path` (not a reused pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False
    if stat.rsplit(")", 1)[-1].split()[0] == "Z":  # zombie: already exited
        return False
    return str(stats_path).encode() in cmdline


def start_upstream(world: dict | str | Path, transport: str = "stdio", convention: str = "spec",
                   hostile: str | None = None, *, malformed_kind: str | None = None,
                   flood_mib: int | None = None, extra_args: list[str] | None = None,
                   timeout: float = START_TIMEOUT, wait: bool = True) -> UpstreamHandle:
    """Prepare (stdio) or start (http) one upstream. See the module docstring. With
    `wait=False` an HTTP upstream is only spawned: call `handle.wait_ready()` before using
    `handle.url` (lets a fixture start several at once)."""
    if transport not in ("stdio", "http"):
        raise ValueError(f"transport must be stdio or http, not {transport!r}")
    workdir = Path(tempfile.mkdtemp(prefix=f"purse-upstream-{transport}-"))
    try:
        world_path = workdir / "world.json"
        if isinstance(world, dict):
            world_path.write_text(json.dumps(world))
        else:
            shutil.copyfile(world, world_path)
        stats_path = workdir / "stats.json"
        args = [str(UPSTREAM), "--world", str(world_path), "--transport", transport,
                "--convention", convention, "--stats", str(stats_path)]
        if hostile:
            args += ["--hostile", hostile]
        if malformed_kind:
            args += ["--malformed-kind", malformed_kind]
        if flood_mib is not None:
            args += ["--flood-mib", str(flood_mib)]
        args += list(extra_args or [])
        env = {"PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        h = UpstreamHandle(transport, convention, hostile, workdir, sys.executable, args, env, stats_path)
        if transport == "http":
            _spawn_http(h)
            if wait:
                h.wait_ready(timeout)
        return h
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise


def _spawn_http(h: UpstreamHandle) -> None:
    h.stderr_path = h.workdir / "stderr.log"
    h.args += ["--port", "0", "--ready-file", str(h.workdir / "ready.json")]
    with open(h.stderr_path, "wb") as err:
        h.proc = subprocess.Popen([h.command, *h.args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=err, env={**os.environ, **h.env}, start_new_session=True)


# ---- client helpers for tests (official `mcp` client) ------------------------------------

@contextlib.asynccontextmanager
async def open_session(h: UpstreamHandle, *, errlog: TextIO | None = None,
                       max_sse_event_size: int | None = 1024 * 1024) -> AsyncIterator[Any]:
    """An initialized `mcp.ClientSession` to the handle's server: spawns it (stdio; stderr to
    `errlog`, default /dev/null) or connects to `h.url` (http)."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client
    from mcp.client.streamable_http import streamable_http_client

    async with contextlib.AsyncExitStack() as stack:
        if h.transport == "stdio":
            if errlog is None:
                errlog = stack.enter_context(open(os.devnull, "w"))
            params = StdioServerParameters(command=h.command, args=h.args, env=h.env)
            read, write = await stack.enter_async_context(stdio_client(params, errlog=errlog))
        else:
            read, write = await stack.enter_async_context(
                streamable_http_client(h.url, max_sse_event_size=max_sse_event_size))
        session = await stack.enter_async_context(ClientSession(read, write))
        await session.initialize()
        yield session


def result_dict(res: Any) -> dict:
    """A CallToolResult as its wire JSON (by alias, no None fields)."""
    return res.model_dump(by_alias=True, exclude_none=True, mode="json")


class X402SessionAdapter:
    """Makes an `mcp` 2.3.0 ClientSession look like the client `x402MCPClient` expects."""

    def __init__(self, session: Any):
        self.session = session
        self.sent_meta: list[dict] = []   # the _meta of every tools/call sent, in order

    async def call_tool(self, params: dict, **kwargs: Any) -> Any:
        timeout = kwargs.get("read_timeout_seconds")
        if isinstance(timeout, timedelta):
            timeout = timeout.total_seconds()
        meta = params.get("_meta")
        self.sent_meta.append(meta or {})
        res = await self.session.call_tool(params["name"], params.get("arguments"), read_timeout_seconds=timeout,
                                           meta=meta)
        d = result_dict(res)
        return SimpleNamespace(content=d.get("content", []), isError=d.get("isError", False),
                               _meta=d.get("_meta") or {}, structuredContent=d.get("structuredContent"))

    async def list_tools(self) -> Any:
        return await self.session.list_tools()
