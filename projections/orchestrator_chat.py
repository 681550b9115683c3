"""The `orchestrator_chat` table: the conversation — user messages and the orchestrator's blocks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from domain.events import session as events
from domain.session import OrchestratorSession
from projections.projector import Projector, RowRef, Rows, Stamp
from projections.table import Table


class ChatRow(msgspec.Struct, frozen=True, kw_only=True):
    """One chat entry; `metadata["type"]` tells text, thinking, tool_use and tool_result apart, and
    `position` is the event that created it."""

    id: UUID
    orchestrator_agent_id: UUID
    sender_type: str
    receiver_type: str
    message: str
    agent_id: UUID | None
    summary: str | None
    metadata: dict[str, Any]
    created_at: datetime
    position: int


CHAT = Table("orchestrator_chat", ChatRow, key=["id"])
projector = Projector("orchestrator_chat", CHAT)


def _text_id(value: UUID | None) -> str | None:
    """Ids inside JSON columns are strings, as they come back from the database."""
    return None if value is None else str(value)


def _message(
    event: Any, at: Stamp, *, message_id: UUID, sender: str, receiver: str, text: str, **metadata: Any
) -> ChatRow:
    return ChatRow(
        id=message_id,
        orchestrator_agent_id=event.originator_id,
        sender_type=sender,
        receiver_type=receiver,
        message=text,
        agent_id=None,
        summary=None,
        metadata=metadata,
        created_at=event.timestamp,
        position=at.position,
    )


@projector.on(OrchestratorSession.UserMessageSent)
def _user(event: events.UserMessageSent, at: Stamp, rows: Rows) -> Iterator[ChatRow]:
    yield _message(
        event,
        at,
        message_id=event.message_id,
        sender="user",
        receiver="orchestrator",
        text=event.text,
        type="text",
    )


def _block(event: Any, at: Stamp, block_type: str, text: str, **metadata: Any) -> ChatRow:
    """The orchestrator's blocks all answer the user, each naming the message it replies to."""
    return _message(
        event,
        at,
        message_id=event.block_id,
        sender="orchestrator",
        receiver="user",
        text=text,
        type=block_type,
        reply_to=_text_id(event.reply_to),
        **metadata,
    )


@projector.on(OrchestratorSession.OrchestratorTextBlockRecorded)
def _text(event: events.OrchestratorTextBlockRecorded, at: Stamp, rows: Rows) -> Iterator[ChatRow]:
    yield _block(event, at, "text", event.text)


@projector.on(OrchestratorSession.OrchestratorThinkingBlockRecorded)
def _thinking(event: events.OrchestratorThinkingBlockRecorded, at: Stamp, rows: Rows) -> Iterator[ChatRow]:
    yield _block(event, at, "thinking", event.thinking)


@projector.on(OrchestratorSession.OrchestratorToolUseBlockRecorded)
def _tool_use(event: events.OrchestratorToolUseBlockRecorded, at: Stamp, rows: Rows) -> Iterator[ChatRow]:
    yield _block(
        event,
        at,
        "tool_use",
        event.tool_name,
        tool_use_id=event.tool_use_id,
        tool_name=event.tool_name,
        tool_input=event.tool_input,
    )


@projector.on(OrchestratorSession.OrchestratorToolResultRecorded)
def _tool_result(event: events.OrchestratorToolResultRecorded, at: Stamp, rows: Rows) -> Iterator[ChatRow]:
    yield _block(
        event, at, "tool_result", event.content, tool_use_id=event.tool_use_id, is_error=event.is_error
    )


def _subject(event: events.SessionSummaryGenerated) -> tuple[RowRef]:
    return ((CHAT, event.subject_id),)


@projector.on(OrchestratorSession.SessionSummaryGenerated, reads=_subject)
def _summarised(event: events.SessionSummaryGenerated, at: Stamp, rows: Rows) -> Iterator[ChatRow]:
    row: ChatRow | None = rows.get(CHAT, event.subject_id)
    if row is not None:
        yield msgspec.structs.replace(row, summary=event.summary)
