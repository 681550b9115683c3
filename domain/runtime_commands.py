"""Commands the runtime sends: what the orchestrator and the agents produced, and how their turns ended.

They name agents by id (the runtime knows them from the events it follows); block, hook and log ids
default to fresh UUIDs and are the ids summaries later refer to.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from domain.commands import Command, new_id
from domain.status import AgentStatus
from domain.values import ChangedFile, Usage

# ---- the orchestrator's output, reported by the runtime -----------------------------------------------


class RecordOrchestratorText(Command, frozen=True):
    session_id: UUID
    reply_to: UUID | None
    text: str
    block_id: UUID = msgspec.field(default_factory=new_id)


class RecordOrchestratorThinking(Command, frozen=True):
    session_id: UUID
    reply_to: UUID | None
    thinking: str
    block_id: UUID = msgspec.field(default_factory=new_id)


class RecordOrchestratorToolUse(Command, frozen=True):
    session_id: UUID
    reply_to: UUID | None
    tool_use_id: str
    tool_name: str
    tool_input: dict[str, Any]
    block_id: UUID = msgspec.field(default_factory=new_id)


class RecordOrchestratorToolResult(Command, frozen=True):
    session_id: UUID
    reply_to: UUID | None
    tool_use_id: str
    content: str
    is_error: bool = False
    block_id: UUID = msgspec.field(default_factory=new_id)


class FinishOrchestratorTurn(Command, frozen=True):
    session_id: UUID
    reply_to: UUID | None
    usage: Usage
    duration_ms: int
    num_turns: int
    sdk_session_id: str | None
    is_error: bool = False
    result: str = ""


class RecordSessionSummary(Command, frozen=True):
    session_id: UUID
    subject_id: UUID
    subject_kind: str
    summary: str
    model: str
    usage: Usage = msgspec.field(default_factory=Usage)


# ---- an agent's work, reported by the runtime (by agent id) ------------------------------------------


class RecordAgentText(Command, frozen=True):
    agent_id: UUID
    text: str
    block_id: UUID = msgspec.field(default_factory=new_id)


class RecordAgentThinking(Command, frozen=True):
    agent_id: UUID
    thinking: str
    block_id: UUID = msgspec.field(default_factory=new_id)


class RecordAgentToolUse(Command, frozen=True):
    agent_id: UUID
    tool_use_id: str
    tool_name: str
    tool_input: dict[str, Any]
    block_id: UUID = msgspec.field(default_factory=new_id)


class RecordHookEvent(Command, frozen=True):
    agent_id: UUID
    hook_type: str
    tool_name: str | None = None
    tool_use_id: str | None = None
    tool_input: dict[str, Any] | None = None
    tool_response: Any = None
    error: str | None = None
    payload: dict[str, Any] = msgspec.field(default_factory=dict)
    hook_event_id: UUID = msgspec.field(default_factory=new_id)


class TrackFiles(Command, frozen=True):
    agent_id: UUID
    tool_use_id: str | None
    read_paths: tuple[str, ...] = ()
    changed_files: tuple[ChangedFile, ...] = ()


class FinishAgentTurn(Command, frozen=True):
    agent_id: UUID
    usage: Usage
    duration_ms: int
    num_turns: int
    sdk_session_id: str | None
    is_error: bool = False
    result: str = ""
    rest_status: AgentStatus = AgentStatus.IDLE


class MarkAgentInterrupted(Command, frozen=True):
    agent_id: UUID


class FailAgent(Command, frozen=True):
    agent_id: UUID
    reason: str


class ReportAgentStatus(Command, frozen=True):
    agent_id: UUID
    status: AgentStatus
    reason: str = ""


class RecordAgentSummary(Command, frozen=True):
    agent_id: UUID
    subject_id: UUID
    subject_kind: str
    summary: str
    model: str
    usage: Usage = msgspec.field(default_factory=Usage)
