#!/bin/sh
# Add Purse to Claude Code (user scope). The password stays in your environment, not on the command line history of the agent.
claude mcp add purse --scope user \
  --env PURSE_KEY_PASSWORD="$PURSE_KEY_PASSWORD" --env PURSE_SESSION_LABEL=claude-code \
  -- /usr/local/bin/purse serve --config "$HOME/.config/purse/config.json"
