#!/usr/bin/env python3
"""A thin driver for Purse's MCP server (or any stdio MCP server) on the official `mcp` client.

Async API, for tests:

    async with PurseMCP(["purse", "serve", "--config", cfg, "--db", db], env={...},
                        elicit="accept") as s:
        tools = await s.tool_names()
        res = await s.call("paid_fetch", {"url": ...})      # -> dict (see CallResult below)
        text = await s.read("purse://budget")
        s.logs                                               # notifications/message received

    # MCP 2026-07-28 (stateless): `mode="2026-07-28"` adopts the revision with no probe and no
    # fallback (every request carries the `_meta` envelope); `mode="auto"` probes
    # `server/discover` and falls back to the handshake. Approvals then come as input-required
    # results, which `call` resolves through the same `elicit` policy; `call_raw` sends one
    # round by hand (to see the InputRequiredResult, or to retry with an altered requestState).
    async with PurseMCP(cmd, env, elicit="accept", mode="2026-07-28") as s: ...

CLI, for manual use:

    python mcp_driver.py [--env K=V ...] [--protocol 2025-03-26 | --mode 2026-07-28|auto]
        [--elicit accept|decline] [--call TOOL JSON]... [--read URI]... -- COMMAND ARGS...

Notes:
- The child does NOT inherit the environment (the SDK passes only PATH, HOME, USER, SHELL, TERM,
  LOGNAME): pass what the server needs in `env`.
- `protocol_version=` forces the version offered in `initialize`. mcp 2.3.0's
  `ClientSession.initialize()` always offers its latest handshake version, so the driver sends
  the InitializeRequest itself through the public `send_request`, then `adopt()`s the result
  and sends `notifications/initialized` — what `initialize()` does, minus the version check.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from contextlib import AsyncExitStack
from typing import Any, Callable

import mcp_types as types
from mcp import Client, ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

ElicitPolicy = str | Callable[[Any], Any] | None  # "accept" | "decline" | "cancel" | fn(params)


class PurseMCP:
    def __init__(self, command: list[str], env: dict[str, str] | None = None, *, elicit: ElicitPolicy = None,
                 elicit_content: dict | None = None, protocol_version: str | None = None,
                 read_timeout: float = 60.0, cwd: str | None = None, mode: str | None = None,
                 log_level: str | None = None):
        self.command, self.env, self.cwd = command, env or {}, cwd
        self.elicit_policy, self.elicit_content = elicit, elicit_content
        self.protocol_version = protocol_version
        self.read_timeout = read_timeout
        # None: the handshake through ClientSession (as before); "2026-07-28" or "auto": mcp.Client.
        self.mode = mode
        self.log_level = log_level  # the 2026-07-28 per-request log opt-in
        self.client: Client | None = None
        self.logs: list[dict] = []           # notifications/message params, in order
        self.elicitations: list[dict] = []   # every elicitation request seen
        self.init_result: types.InitializeResult | None = None
        self._stack: AsyncExitStack | None = None
        self.session: ClientSession | None = None

    # ---- callbacks -----------------------------------------------------------------------

    async def _on_log(self, params: types.LoggingMessageNotificationParams) -> None:
        self.logs.append(params.model_dump(mode="json", by_alias=True, exclude_none=True))

    async def _on_elicit(self, _ctx, params) -> types.ElicitResult:
        self.elicitations.append(params.model_dump(mode="json", by_alias=True, exclude_none=True))
        policy = self.elicit_policy
        if callable(policy):
            out = policy(params)
            if asyncio.iscoroutine(out):
                out = await out
            if isinstance(out, types.ElicitResult):
                return out
            policy = out
        action = policy or "decline"
        if action == "accept":
            return types.ElicitResult(action="accept", content=self.elicit_content or {"confirm": True, "approve": True})
        return types.ElicitResult(action="cancel" if action == "cancel" else "decline")

    # ---- lifecycle ----------------------------------------------------------------------

    async def __aenter__(self) -> "PurseMCP":
        self._stack = AsyncExitStack()
        try:
            params = StdioServerParameters(command=self.command[0], args=list(self.command[1:]),
                                           env=dict(self.env), cwd=self.cwd)
            if self.mode is not None:
                # The unified Client: it stamps the envelope on every request and drives the
                # input-required rounds of call_tool through the elicitation callback. No
                # response cache: every call must reach the server.
                self.client = Client(params, mode=self.mode, logging_callback=self._on_log, log_level=self.log_level,
                                     read_timeout_seconds=self.read_timeout, cache=None,
                                     elicitation_callback=self._on_elicit if self.elicit_policy is not None else None)
                await self._stack.enter_async_context(self.client)
                self.session = self.client.session
                return self
            read, write = await self._stack.enter_async_context(stdio_client(params))
            kwargs: dict[str, Any] = {"logging_callback": self._on_log, "read_timeout_seconds": self.read_timeout}
            if self.elicit_policy is not None:
                kwargs["elicitation_callback"] = self._on_elicit
            self.session = await self._stack.enter_async_context(ClientSession(read, write, **kwargs))
            self.init_result = await self._initialize()
        except BaseException:
            await self._stack.aclose()
            raise
        return self

    async def __aexit__(self, *exc) -> None:
        if self._stack:
            await self._stack.aclose()

    async def _initialize(self) -> types.InitializeResult:
        s = self.session
        if self.protocol_version is None:
            return await s.initialize()
        req = types.InitializeRequest(params=types.InitializeRequestParams(
            protocol_version=self.protocol_version,
            capabilities=s._build_capabilities(self.protocol_version),  # what initialize() offers
            client_info=types.Implementation(name="purse-mcp-driver", version="1"),
        ))
        result = await s.send_request(req, types.InitializeResult)
        s.adopt(result)
        await s.send_notification(types.InitializedNotification())
        return result

    @property
    def negotiated_version(self) -> str | None:
        if self.client is not None:
            return self.client.protocol_version
        return self.init_result.protocol_version if self.init_result else None

    @property
    def discover_result(self) -> types.DiscoverResult | None:
        """The server/discover result a 2026-07-28 connection adopted (None on the handshake)."""
        return self.session.discover_result if self.session else None

    # ---- calls ---------------------------------------------------------------------------

    async def tool_names(self) -> list[str]:
        return [t.name for t in (await self.session.list_tools()).tools]

    async def tools(self) -> list[dict]:
        return [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in (await self.session.list_tools()).tools]

    async def call(self, name: str, arguments: dict | None = None) -> dict:
        """tools/call → {"isError", "structuredContent", "data" (structuredContent, else the text
        parsed as JSON, else None), "text", "content", "meta"}. On 2026-07-28 the client answers
        input-required rounds itself (through the elicit policy) before this returns."""
        if self.client is not None:
            r = await self.client.call_tool(name, arguments or {})
        else:
            r = await self.session.call_tool(name, arguments or {})
        return self._result(r)

    async def call_raw(self, name: str, arguments: dict | None = None, *, input_responses: dict | None = None,
                       request_state: str | None = None) -> dict:
        """One tools/call round, by hand (2026-07-28): the result as a dict, an input_required one
        included ({"resultType": "input_required", "inputRequests", "requestState"})."""
        r = await self.session.call_tool(name, arguments or {}, input_responses=input_responses,
                                         request_state=request_state, allow_input_required=True)
        if isinstance(r, types.InputRequiredResult):
            return r.model_dump(mode="json", by_alias=True, exclude_none=True)
        return self._result(r)

    def _result(self, r) -> dict:
        d = r.model_dump(mode="json", by_alias=True, exclude_none=True)
        texts = [c.get("text", "") for c in d.get("content", []) if c.get("type") == "text"]
        text = "\n".join(texts)
        data = d.get("structuredContent")
        if data is None:
            try:
                data = json.loads(text)
            except ValueError:
                data = None
        return {"isError": bool(d.get("isError")), "structuredContent": d.get("structuredContent"),
                "data": data, "text": text, "content": d.get("content", []), "meta": d.get("_meta")}

    async def resources(self) -> list[dict]:
        return [x.model_dump(mode="json", by_alias=True, exclude_none=True)
                for x in (await self.session.list_resources()).resources]

    async def read(self, uri: str) -> str:
        r = await (self.client.read_resource(uri) if self.client is not None else self.session.read_resource(uri))
        return "\n".join(getattr(c, "text", "") or "" for c in r.contents)


async def _cli(args) -> int:
    env = dict(kv.split("=", 1) for kv in args.env)
    async with PurseMCP(args.command, env, elicit=args.elicit, protocol_version=args.protocol, mode=args.mode) as s:
        info = s.init_result.server_info if s.init_result else s.session.server_info
        out: dict[str, Any] = {"protocolVersion": s.negotiated_version,
                               "server": info.model_dump(mode="json", exclude_none=True) if info else None,
                               "tools": await s.tool_names()}
        calls = []
        for name, js in args.call or []:
            calls.append({"tool": name, "result": await s.call(name, json.loads(js))})
        reads = [{"uri": u, "text": await s.read(u)} for u in args.read or []]
        out.update(calls=calls, reads=reads, logs=s.logs, elicitations=s.elicitations)
    print(json.dumps(out, indent=2))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description="Drive a stdio MCP server (e.g. `purse serve`).")
    ap.add_argument("--env", action="append", default=[], help="K=V passed to the child (nothing is inherited)")
    ap.add_argument("--protocol", help="force the protocolVersion offered in initialize")
    ap.add_argument("--mode", help="2026-07-28 (stateless, no fallback) or auto (discover, else handshake)")
    ap.add_argument("--elicit", choices=["accept", "decline", "cancel"], help="answer elicitations so")
    ap.add_argument("--call", nargs=2, action="append", metavar=("TOOL", "JSON"))
    ap.add_argument("--read", action="append", metavar="URI")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    if not args.command:
        ap.error("give the server command after --")
    return asyncio.run(_cli(args))


if __name__ == "__main__":
    sys.exit(main())
