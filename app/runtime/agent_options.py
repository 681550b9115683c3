"""ClaudeAgentOptions for each kind of CLI the runtime starts: workers, the orchestrator, the summarizer."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from claude_agent_sdk import ClaudeAgentOptions
from claude_agent_sdk.types import McpSdkServerConfig

from app.runtime.cli_launch import CliLaunch
from app.runtime.hooks import Hooks
from app.runtime.sdk_env import MGMT_SERVER, base_options, mgmt_tool_names
from app.runtime.templates import fill_subagent_map, load_templates

log = logging.getLogger(__name__)

ORCHESTRATOR_PROMPT = Path(__file__).with_name("prompts") / "orchestrator.md"


def _stderr_logger(name: str) -> Any:
    def write(line: str) -> None:
        log.debug("%s CLI: %s", name, line.rstrip())

    return write


def worker_options(
    launch: CliLaunch,
    *,
    cwd: Path,
    model: str,
    system_prompt: str,
    tools: tuple[str, ...],
    resume: str | None,
    max_cost_usd: float | None,
    hooks: Hooks,
) -> ClaudeAgentOptions:
    """Claude Code's own system prompt (it teaches the tools) with the agent's appended."""
    extra: dict[str, Any] = {}
    if tools:
        extra["tools"] = list(tools)
    return base_options(
        launch.env,
        cli_path=launch.cli_path,
        cwd=cwd,
        model=model,
        system_prompt={"type": "preset", "preset": "claude_code", "append": system_prompt}
        if system_prompt
        else {"type": "preset", "preset": "claude_code"},
        resume=resume,
        max_budget_usd=max_cost_usd,
        hooks=hooks,
        stderr=_stderr_logger("worker"),
        **extra,
    )


def orchestrator_system_prompt(cwd: Path, own_prompt: str = "") -> str:
    """The session's own prompt, else ours; `{{SUBAGENT_MAP}}` lists the templates of the working dir."""
    prompt = own_prompt or ORCHESTRATOR_PROMPT.read_text(encoding="utf-8")
    return fill_subagent_map(prompt, load_templates(cwd))


def orchestrator_options(
    launch: CliLaunch,
    *,
    cwd: Path,
    model: str,
    system_prompt: str,
    mgmt: McpSdkServerConfig,
    resume: str | None,
) -> ClaudeAgentOptions:
    """Only the `mgmt` tools: the orchestrator delegates the work instead of doing it."""
    return base_options(
        launch.env,
        cli_path=launch.cli_path,
        cwd=cwd,
        model=model,
        allowed_tools=mgmt_tool_names(),
        tools=[],
        system_prompt=system_prompt,
        mcp_servers={MGMT_SERVER: mgmt},
        include_partial_messages=True,
        resume=resume,
        stderr=_stderr_logger("orchestrator"),
    )


def summarizer_options(launch: CliLaunch, *, cwd: Path, model: str) -> ClaudeAgentOptions:
    """No tools and one turn: the model only writes the summaries."""
    return base_options(
        launch.env,
        cli_path=launch.cli_path,
        cwd=cwd,
        model=model,
        tools=[],
        max_turns=1,
        system_prompt="You write very short, factual one-line summaries of what software agents did.",
        stderr=_stderr_logger("summarizer"),
    )
