"""Events of an OrchestratorSession's stream (stream id = session id): chat, orchestrator turns, agent names,
system logs, costs and budget of the whole session."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.budget import BudgetLevel
from domain.values import Usage


class SessionStarted(Aggregate.Created):
    working_dir: str
    model: str
    system_prompt: str


class SessionResumed(Aggregate.Event):
    working_dir: str
    model: str


class UserMessageSent(Aggregate.Event):
    message_id: UUID
    text: str


class OrchestratorTextBlockRecorded(Aggregate.Event):
    """`reply_to` is the user message the orchestrator is answering, when it answers one."""

    block_id: UUID
    reply_to: UUID | None
    text: str


class OrchestratorThinkingBlockRecorded(Aggregate.Event):
    block_id: UUID
    reply_to: UUID | None
    thinking: str


class OrchestratorToolUseBlockRecorded(Aggregate.Event):
    block_id: UUID
    reply_to: UUID | None
    tool_use_id: str
    tool_name: str
    tool_input: dict[str, Any]


class OrchestratorToolResultRecorded(Aggregate.Event):
    block_id: UUID
    reply_to: UUID | None
    tool_use_id: str
    content: str
    is_error: bool


class OrchestratorTurnFinished(Aggregate.Event):
    """The orchestrator's result message: `usage` is this turn's delta, not a running total."""

    reply_to: UUID | None
    usage: Usage
    duration_ms: int
    num_turns: int
    sdk_session_id: str | None
    is_error: bool
    result: str


class AgentNameRegistered(Aggregate.Event):
    name: str
    agent_id: UUID


class AgentNameReleased(Aggregate.Event):
    name: str
    agent_id: UUID


class AgentCostAccrued(Aggregate.Event):
    """The session's ledger copy of an agent turn's usage (also in that agent's AgentTurnFinished):
    it lets the session enforce its budget; don't add both when summing costs."""

    agent_id: UUID
    usage: Usage


class SystemLogRecorded(Aggregate.Event):
    log_id: UUID
    level: str
    message: str
    details: dict[str, Any]


class SessionSummaryGenerated(Aggregate.Event):
    """A short AI summary of a chat message, block or log line (`subject_id` = its domain id)."""

    subject_id: UUID
    subject_kind: str
    summary: str
    model: str
    usage: Usage


class SessionBudgetSet(Aggregate.Event):
    limit_usd: float | None
    warn_fraction: float


class SessionBudgetExceeded(Aggregate.Event):
    level: BudgetLevel
    threshold_usd: float
    total_cost_usd: float
