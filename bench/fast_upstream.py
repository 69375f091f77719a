#!/usr/bin/env python3
"""A minimal stdio MCP server for the upstream-overhead bench: one free tool, `ping`, answered at
once, JSON-RPC lines in and out, no SDK (so its own cost is small and the same in both runs)."""

import json
import sys


def main() -> None:
    out = sys.stdout
    for line in sys.stdin:
        msg = json.loads(line)
        if "id" not in msg:
            continue
        method = msg.get("method")
        if method == "initialize":
            result = {"protocolVersion": msg["params"].get("protocolVersion", "2025-11-25"), "capabilities": {"tools": {}},
                      "serverInfo": {"name": "fast-upstream", "version": "1"}}
        elif method == "tools/list":
            result = {"tools": [{"name": "ping", "description": "Free: pong.", "inputSchema": {"type": "object"}}]}
        elif method == "tools/call":
            result = {"content": [{"type": "text", "text": "pong"}], "isError": False}
        elif method == "ping":
            result = {}
        else:
            out.write(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "error": {"code": -32601, "message": method}}) + "\n")
            out.flush()
            continue
        out.write(json.dumps({"jsonrpc": "2.0", "id": msg["id"], "result": result}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
