"""JSON schemas of the `mgmt` tools' inputs (SPEC.md's signatures; optional arguments are not required)."""

from __future__ import annotations

from typing import Any

from app.runtime.mgmt_queries import DEFAULT_TAIL


def _schema(properties: dict[str, tuple[str, str]], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            name: {"type": kind, "description": text} for name, (kind, text) in properties.items()
        },
        "required": list(required),
    }


NO_INPUT = _schema({})
NAME_SCHEMA = _schema({"agent_name": ("string", "the agent's name")}, ("agent_name",))
CREATE_SCHEMA = _schema(
    {
        "name": ("string", "lowercase letters, digits, '-' or '_'; unique in the session"),
        "system_prompt": ("string", "the agent's instructions"),
        "model": ("string", "sonnet, opus, haiku or a claude-… model id"),
        "subagent_template": ("string", "a template from .claude/agents/"),
    },
    ("name",),
)
COMMAND_SCHEMA = _schema(
    {"agent_name": ("string", "the agent's name"), "command": ("string", "the task, in plain words")},
    ("agent_name", "command"),
)
STATUS_SCHEMA = _schema(
    {
        "agent_name": ("string", "the agent's name"),
        "tail_count": ("integer", f"how many log entries (default {DEFAULT_TAIL})"),
        "verbose_logs": ("boolean", "full log entries instead of shortened ones"),
    },
    ("agent_name",),
)
LOGS_SCHEMA = _schema(
    {
        "offset": ("integer", "skip this many entries"),
        "limit": ("integer", "at most this many entries (default 50)"),
        "message_contains": ("string", "only entries whose message contains this text"),
        "level": ("string", "DEBUG, INFO, WARNING, ERROR or CRITICAL"),
    }
)
