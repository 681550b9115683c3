"""The data of each SSE wire frame (the original system's event types), as msgspec Structs."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec


class Stored(msgspec.Struct, kw_only=True):
    """Every stored frame repeats its `id:` in the data, so a client can fold data alone by position."""

    position: int


class AgentRowData(msgspec.Struct, kw_only=True):
    """A new agent as the sidebar shows it (the `agents` row at creation)."""

    id: UUID
    name: str
    model: str
    status: str
    system_prompt: str | None
    template: str | None
    working_dir: str | None
    session_id: UUID
    input_tokens: int = 0
    output_tokens: int = 0
    total_cost: float = 0.0
    latest_summary: str | None = None
    log_count: int = 0
    created_at: datetime
    updated_at: datetime


class UsageDelta(msgspec.Struct, kw_only=True):
    """What one turn added: clients add it to their totals (each frame is folded once, by position)."""

    input_tokens: int
    output_tokens: int
    cache_read_input_tokens: int
    cache_creation_input_tokens: int
    total_cost: float


class AgentCreated(Stored, kw_only=True):
    agent: AgentRowData


class AgentUpdated(Stored, kw_only=True):
    agent_id: UUID
    name: str | None
    delta: UsageDelta
    duration_ms: int
    num_turns: int
    is_error: bool


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


class AgentLogData(msgspec.Struct, kw_only=True):
    """One line of an agent's event log; `entry_index` is the event's version in the agent's stream."""

    id: UUID
    agent_id: UUID
    agent_name: str | None
    task_slug: str | None
    entry_index: int
    event_category: str
    event_type: str
    content: str | None
    summary: str | None
    payload: dict[str, Any] | None
    timestamp: datetime


class AgentLog(Stored, kw_only=True):
    log: AgentLogData


class ChatMessageData(msgspec.Struct, kw_only=True):
    id: UUID
    sender_type: str
    receiver_type: str
    message: str
    agent_id: UUID | None
    metadata: dict[str, Any] | None
    created_at: datetime


class OrchestratorChat(Stored, kw_only=True):
    message: ChatMessageData


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


class SystemLogData(msgspec.Struct, kw_only=True):
    id: UUID
    level: str
    message: str
    summary: str | None
    metadata: dict[str, Any] | None
    timestamp: datetime


class SystemLog(Stored, kw_only=True):
    log: SystemLogData


class ErrorNotice(Stored, kw_only=True):
    message: str
    level: str
    agent_id: UUID | None = None


class ChatTyping(msgspec.Struct, kw_only=True):
    is_typing: bool


class ChatStream(msgspec.Struct, kw_only=True):
    block_id: str
    chunk: str
