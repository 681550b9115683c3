"""Environment and base `ClaudeAgentOptions` for the bundled Claude Code CLI, against `sim` or the API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claude_agent_sdk import ClaudeAgentOptions

MGMT_SERVER = "mgmt"
MGMT_TOOLS = (
    "create_agent",
    "list_agents",
    "command_agent",
    "check_agent_status",
    "delete_agent",
    "interrupt_agent",
    "read_system_logs",
    "report_cost",
)
SIM_API_KEY = "sk-ant-sim-offline"
# Settings of the host that would send the CLI elsewhere than the simulator; blank means unset to the CLI.
_HOST_OVERRIDES_CLEARED_FOR_SIM = (
    "ANTHROPIC_AUTH_TOKEN",
    "CLAUDE_CODE_OAUTH_TOKEN",
    "CLAUDE_CODE_USE_BEDROCK",
    "CLAUDE_CODE_USE_VERTEX",
)


@dataclass(frozen=True)
class CliLimits:
    """Retry and timeout knobs; tests set them low so failures end in seconds rather than minutes."""

    max_retries: int | None = None
    api_timeout_ms: int | None = None
    stream_idle_timeout_ms: int | None = None  # the CLI enforces at least 10000

    def env(self) -> dict[str, str]:
        knobs = {
            "CLAUDE_CODE_MAX_RETRIES": self.max_retries,
            "API_TIMEOUT_MS": self.api_timeout_ms,
            "CLAUDE_BYTE_STREAM_IDLE_TIMEOUT_MS": self.stream_idle_timeout_ms,
        }
        return {name: str(value) for name, value in knobs.items() if value is not None}


def cli_env(data_dir: Path, base_url: str | None = None, limits: CliLimits | None = None) -> dict[str, str]:
    """The CLI's environment: quiet (no telemetry, no updates), private config and home under `data_dir`.

    With `base_url` (the simulator) the CLI talks only to it with a dummy key; without, it uses the
    host's credentials (ANTHROPIC_API_KEY) as usual.
    """
    config_dir = data_dir / "claude-config"
    home = data_dir / "claude-home"
    config_dir.mkdir(parents=True, exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
        "DISABLE_TELEMETRY": "1",
        "DISABLE_ERROR_REPORTING": "1",
        "DISABLE_AUTOUPDATER": "1",
        "CLAUDE_CONFIG_DIR": str(config_dir),
        "HOME": str(home),
        # Otherwise MCP tools hide behind a ToolSearch tool and the model never sees `mcp__mgmt__*`.
        "ENABLE_TOOL_SEARCH": "false",
    }
    if base_url is not None:
        env |= dict.fromkeys(_HOST_OVERRIDES_CLEARED_FOR_SIM, "")
        env |= {"ANTHROPIC_BASE_URL": base_url, "ANTHROPIC_API_KEY": SIM_API_KEY}
    return env | (limits or CliLimits()).env()


def mgmt_tool_names() -> list[str]:
    return [f"mcp__{MGMT_SERVER}__{name}" for name in MGMT_TOOLS]


def base_options(
    env: dict[str, str],
    *,
    cwd: Path,
    model: str | None = None,
    allowed_tools: Iterable[str] = (),
    **extra: Any,
) -> ClaudeAgentOptions:
    """Options every agent shares; `extra` passes any other `ClaudeAgentOptions` field (hooks, resume…).

    As root the CLI refuses bypassPermissions, so edits are accepted and in-process MCP tools, denied
    under acceptEdits unless listed, go into `allowed_tools`.
    """
    return ClaudeAgentOptions(
        env=env,
        cwd=cwd,
        model=model,
        setting_sources=[],
        permission_mode="acceptEdits",
        allowed_tools=list(allowed_tools),
        **extra,
    )
