"""What the orchestrator said and did, and the session's log lines and summaries (no decision state)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.session import OrchestratorSession
from domain.validation import CONTENT_MAX_CHARS, SHORT_TEXT_MAX_CHARS, check_level, check_summary, check_text
from domain.values import Usage


def record_text_block(session: OrchestratorSession, block_id: UUID, reply_to: UUID | None, text: str) -> None:
    check_text(text, "text", CONTENT_MAX_CHARS, required=False)
    session.trigger_event(
        session.OrchestratorTextBlockRecorded, block_id=block_id, reply_to=reply_to, text=text
    )


def record_thinking_block(
    session: OrchestratorSession, block_id: UUID, reply_to: UUID | None, thinking: str
) -> None:
    check_text(thinking, "thinking", CONTENT_MAX_CHARS, required=False)
    session.trigger_event(
        session.OrchestratorThinkingBlockRecorded, block_id=block_id, reply_to=reply_to, thinking=thinking
    )


def record_tool_use_block(
    session: OrchestratorSession,
    block_id: UUID,
    reply_to: UUID | None,
    tool_use_id: str,
    tool_name: str,
    tool_input: dict[str, Any],
) -> None:
    check_text(tool_use_id, "tool_use_id", SHORT_TEXT_MAX_CHARS)
    check_text(tool_name, "tool_name", SHORT_TEXT_MAX_CHARS)
    session.trigger_event(
        session.OrchestratorToolUseBlockRecorded,
        block_id=block_id,
        reply_to=reply_to,
        tool_use_id=tool_use_id,
        tool_name=tool_name,
        tool_input=tool_input,
    )


def record_tool_result(
    session: OrchestratorSession,
    block_id: UUID,
    reply_to: UUID | None,
    tool_use_id: str,
    content: str,
    is_error: bool,
) -> None:
    check_text(tool_use_id, "tool_use_id", SHORT_TEXT_MAX_CHARS)
    check_text(content, "content", CONTENT_MAX_CHARS, required=False)
    session.trigger_event(
        session.OrchestratorToolResultRecorded,
        block_id=block_id,
        reply_to=reply_to,
        tool_use_id=tool_use_id,
        content=content,
        is_error=is_error,
    )


def record_system_log(
    session: OrchestratorSession, log_id: UUID, level: str, message: str, details: dict[str, Any]
) -> None:
    check_level(level)
    check_text(message, "message")
    session.trigger_event(
        session.SystemLogRecorded, log_id=log_id, level=level, message=message, details=details
    )


def record_summary(
    session: OrchestratorSession, subject_id: UUID, subject_kind: str, summary: str, model: str, usage: Usage
) -> None:
    check_summary(summary, subject_kind)
    usage.checked_delta()
    session.trigger_event(
        session.SessionSummaryGenerated,
        subject_id=subject_id,
        subject_kind=subject_kind,
        summary=summary,
        model=model,
        usage=usage,
    )
