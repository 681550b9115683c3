"""The `orchestrator_chat` table: the conversation — user messages and the orchestrator's blocks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
    event: Any, position: int, *, message_id: UUID, sender: str, receiver: str, text: str, **metadata: Any
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
        position=position,
    )


def _user(event: events.UserMessageSent, position: int) -> ChatRow:
    return _message(
        event,
        position,
        message_id=event.message_id,
        sender="user",
        receiver="orchestrator",
        text=event.text,
        type="text",
    )


def _block(event: Any, position: int, block_type: str, text: str, **metadata: Any) -> ChatRow:
    """The orchestrator's blocks all answer the user, each naming the message it replies to."""
    return _message(
        event,
        position,
        message_id=event.block_id,
        sender="orchestrator",
        receiver="user",
        text=text,
        type=block_type,
        reply_to=_text_id(event.reply_to),
        **metadata,
    )


def _text(event: events.OrchestratorTextBlockRecorded, position: int) -> ChatRow:
    return _block(event, position, "text", event.text)


def _thinking(event: events.OrchestratorThinkingBlockRecorded, position: int) -> ChatRow:
    return _block(event, position, "thinking", event.thinking)


def _tool_use(event: events.OrchestratorToolUseBlockRecorded, position: int) -> ChatRow:
    return _block(
        event,
        position,
        "tool_use",
        event.tool_name,
        tool_use_id=event.tool_use_id,
        tool_name=event.tool_name,
        tool_input=event.tool_input,
    )


def _tool_result(event: events.OrchestratorToolResultRecorded, position: int) -> ChatRow:
    return _block(
        event, position, "tool_result", event.content, tool_use_id=event.tool_use_id, is_error=event.is_error
    )


_ROWS: dict[type, Callable[[Any, int], ChatRow]] = {
    OrchestratorSession.UserMessageSent: _user,
    OrchestratorSession.OrchestratorTextBlockRecorded: _text,
    OrchestratorSession.OrchestratorThinkingBlockRecorded: _thinking,
    OrchestratorSession.OrchestratorToolUseBlockRecorded: _tool_use,
    OrchestratorSession.OrchestratorToolResultRecorded: _tool_result,
}


def chat_row(event: Any, position: int) -> ChatRow:
    """The chat entry a session event adds; an `orchestrator_chat` wire frame carries the same row."""
    return _ROWS[type(event)](event, position)


def _added(event: Any, at: Stamp, rows: Rows) -> Iterator[ChatRow]:
    yield chat_row(event, at.position)


for _kind in _ROWS:
    projector.on(_kind)(_added)


def _subject(event: events.SessionSummaryGenerated) -> tuple[RowRef]:
    return ((CHAT, event.subject_id),)


@projector.on(OrchestratorSession.SessionSummaryGenerated, reads=_subject)
def _summarised(event: events.SessionSummaryGenerated, at: Stamp, rows: Rows) -> Iterator[ChatRow]:
    row: ChatRow | None = rows.get(CHAT, event.subject_id)
    if row is not None:
        yield msgspec.structs.replace(row, summary=event.summary)
