"""What an agent did, as reported by the runtime: blocks, hook calls, files, summaries (no decision state)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.agent import Agent
from domain.agent_guards import ensure_live
from domain.errors import InvalidValue
from domain.validation import CONTENT_MAX_CHARS, SHORT_TEXT_MAX_CHARS, check_summary, check_text
from domain.values import ChangedFile, Usage

HOOK_TYPES = frozenset(
    {
        "PreToolUse",
        "PostToolUse",
        "PostToolUseFailure",
        "UserPromptSubmit",
        "Stop",
        "SubagentStart",
        "SubagentStop",
        "PreCompact",
        "Notification",
        "PermissionRequest",
    }
)


def record_text_block(agent: Agent, block_id: UUID, text: str) -> None:
    ensure_live(agent)
    check_text(text, "text", CONTENT_MAX_CHARS, required=False)
    agent.trigger_event(
        agent.AgentTextBlockRecorded, block_id=block_id, command_id=_running(agent), text=text
    )


def record_thinking_block(agent: Agent, block_id: UUID, thinking: str) -> None:
    ensure_live(agent)
    check_text(thinking, "thinking", CONTENT_MAX_CHARS, required=False)
    agent.trigger_event(
        agent.AgentThinkingBlockRecorded, block_id=block_id, command_id=_running(agent), thinking=thinking
    )


def record_tool_use_block(
    agent: Agent, block_id: UUID, tool_use_id: str, tool_name: str, tool_input: dict[str, Any]
) -> None:
    ensure_live(agent)
    check_text(tool_use_id, "tool_use_id", SHORT_TEXT_MAX_CHARS)
    check_text(tool_name, "tool_name", SHORT_TEXT_MAX_CHARS)
    agent.trigger_event(
        agent.AgentToolUseBlockRecorded,
        block_id=block_id,
        command_id=_running(agent),
        tool_use_id=tool_use_id,
        tool_name=tool_name,
        tool_input=tool_input,
    )


def record_hook_event(
    agent: Agent,
    hook_event_id: UUID,
    hook_type: str,
    *,
    tool_name: str | None = None,
    tool_use_id: str | None = None,
    tool_input: dict[str, Any] | None = None,
    tool_response: Any = None,
    error: str | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    """`payload` keeps the rest of the hook's input; the summary comes later (AgentSummaryGenerated)."""
    ensure_live(agent)
    if hook_type not in HOOK_TYPES:
        raise InvalidValue(
            f"hook_type {hook_type!r} must be one of {', '.join(sorted(HOOK_TYPES))}", field="hook_type"
        )
    if error is not None:
        check_text(error, "error", CONTENT_MAX_CHARS, required=False)
    agent.trigger_event(
        agent.HookEventRecorded,
        hook_event_id=hook_event_id,
        command_id=_running(agent),
        hook_type=hook_type,
        tool_name=tool_name,
        tool_use_id=tool_use_id,
        tool_input=tool_input,
        tool_response=tool_response,
        error=error,
        payload=payload or {},
        summary=None,
    )


def track_files(
    agent: Agent, tool_use_id: str | None, read_paths: tuple[str, ...], changed_files: tuple[ChangedFile, ...]
) -> None:
    ensure_live(agent)
    for changed in changed_files:
        check_text(changed.diff, "changed_files.diff", CONTENT_MAX_CHARS, required=False)
    agent.trigger_event(
        agent.FilesTracked,
        command_id=_running(agent),
        tool_use_id=tool_use_id,
        read_paths=read_paths,
        changed_files=changed_files,
    )


def record_summary(
    agent: Agent, subject_id: UUID, subject_kind: str, summary: str, model: str, usage: Usage
) -> None:
    """Summaries arrive in the background, possibly after the agent was deleted: they are still recorded."""
    check_summary(summary, subject_kind)
    usage.checked_delta()
    agent.trigger_event(
        agent.AgentSummaryGenerated,
        subject_id=subject_id,
        subject_kind=subject_kind,
        summary=summary,
        model=model,
        usage=usage,
    )


def _running(agent: Agent) -> UUID | None:
    return agent.current.command_id if agent.current else None
