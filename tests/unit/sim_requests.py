"""Builds Messages API request bodies shaped like the bundled CLI's, for simulator unit tests."""

from __future__ import annotations

from typing import Any

WORKER_TOOLS = ["Bash", "Edit", "Read", "Write"]
MGMT_TOOLS = [
    f"mcp__mgmt__{name}"
    for name in (
        "create_agent",
        "list_agents",
        "command_agent",
        "check_agent_status",
        "delete_agent",
        "interrupt_agent",
        "read_system_logs",
        "report_cost",
    )
]
REMINDER = "<system-reminder>\nAttribution for git commits...\n</system-reminder>\n"
ENVIRONMENT = "# Environment\n - Primary working directory: /work/here\n - Is a git repository: false\n"


def request_body(
    prompt: str, tools: list[str] | None = None, history: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A first turn as the CLI sends it: reminder + prompt, then the environment as a system message."""
    return {
        "model": "claude-sonnet-5-5",
        "stream": True,
        "system": [
            {"type": "text", "text": "You are a Claude agent, built on Anthropic's Claude Agent SDK."}
        ],
        "tools": [{"name": name, "description": name, "input_schema": {}} for name in tools or []],
        "messages": [
            {
                "role": "user",
                "content": [{"type": "text", "text": REMINDER}, {"type": "text", "text": prompt}],
            },
            {"role": "system", "content": ENVIRONMENT},
            *(history or []),
        ],
    }


def assistant(content: list[dict[str, Any]]) -> dict[str, Any]:
    return {"role": "assistant", "content": content}


def results(*outcomes: tuple[str, str], is_error: bool = False) -> dict[str, Any]:
    """The user message carrying tool results: (tool_use_id, text) pairs."""
    blocks = [
        {"type": "tool_result", "tool_use_id": tool_id, "content": [{"type": "text", "text": text}]}
        | ({"is_error": True} if is_error else {})
        for tool_id, text in outcomes
    ]
    return {"role": "user", "content": blocks}
