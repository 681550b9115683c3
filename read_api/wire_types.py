"""The data of each SSE wire frame (the original system's event types); rows are the read tables' own."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from domain.values import Usage
from projections.agent_logs import AgentLogRow
from projections.agents import AgentRow
from projections.orchestrator_chat import ChatRow
from projections.system_logs import SystemLogRow


class Stored(msgspec.Struct, kw_only=True):
    """Every stored frame repeats its `id:` in the data, so a client can fold data alone by position."""

    position: int


class UsageDelta(msgspec.Struct, kw_only=True):
    """What one turn added: clients add it to their totals (each frame is folded once, by position)."""

    input_tokens: int
    output_tokens: int
    cache_read_input_tokens: int
    cache_creation_input_tokens: int
    total_cost: float

    @classmethod
    def of(cls, usage: Usage) -> UsageDelta:
        return cls(
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cache_read_input_tokens=usage.cache_read_input_tokens,
            cache_creation_input_tokens=usage.cache_creation_input_tokens,
            total_cost=usage.cost_usd,
        )


class AgentCreated(Stored, kw_only=True):
    agent: AgentRow


class AgentUpdated(Stored, kw_only=True):
    """A finished turn; `log` is the `result` row agent_logs gets from it (with the turn's text)."""

    agent_id: UUID
    name: str | None
    delta: UsageDelta
    duration_ms: int
    num_turns: int
    is_error: bool
    log: AgentLogRow


class AgentStatusChanged(Stored, kw_only=True):
    agent_id: UUID
    name: str | None
    old_status: str
    new_status: str
    reason: str
    timestamp: datetime


class AgentDeleted(Stored, kw_only=True):
    agent_id: UUID
    name: str


class AgentLog(Stored, kw_only=True):
    log: AgentLogRow


class OrchestratorChat(Stored, kw_only=True):
    message: ChatRow


class ThinkingBlock(Stored, kw_only=True):
    id: UUID
    thinking: str
    reply_to: UUID | None
    timestamp: datetime


class ToolUseBlock(Stored, kw_only=True):
    id: UUID
    tool_use_id: str
    tool_name: str
    tool_input: dict[str, Any]
    reply_to: UUID | None
    timestamp: datetime


class AgentSummaryUpdate(Stored, kw_only=True):
    agent_id: UUID
    summary: str
    subject_id: UUID
    subject_kind: str


class OrchestratorUpdated(Stored, kw_only=True):
    """Fields that are not None replace the orchestrator's; `delta` (a finished turn) adds to its totals."""

    session_id: UUID
    working_dir: str | None = None
    model: str | None = None
    delta: UsageDelta | None = None


class SystemLog(Stored, kw_only=True):
    log: SystemLogRow


class ErrorNotice(Stored, kw_only=True):
    """`log` is the agent_logs row the failure also becomes, when it is an agent's."""

    message: str
    level: str
    agent_id: UUID | None = None
    log: AgentLogRow | None = None


class ChatTyping(msgspec.Struct, kw_only=True):
    is_typing: bool
    session_id: str


class ChatStream(msgspec.Struct, kw_only=True):
    """A piece of the text block `block_id` while it is generated; the stored block has the same id."""

    block_id: str
    chunk: str
    session_id: str


class StreamFrames(msgspec.Struct, kw_only=True):
    """Schema only, for the OpenAPI document: what each frame's `data:` holds, by its `event:` name.

    `GET /api/stream` sends one such field per frame, never this object; clients check their types
    against it. Ephemeral frames (`chat_typing`, `chat_stream`) have no `id:` and no `position`.
    """

    agent_created: AgentCreated
    agent_updated: AgentUpdated
    agent_status_changed: AgentStatusChanged
    agent_deleted: AgentDeleted
    agent_log: AgentLog
    orchestrator_chat: OrchestratorChat
    thinking_block: ThinkingBlock
    tool_use_block: ToolUseBlock
    agent_summary_update: AgentSummaryUpdate
    orchestrator_updated: OrchestratorUpdated
    system_log: SystemLog
    error: ErrorNotice
    chat_typing: ChatTyping
    chat_stream: ChatStream
