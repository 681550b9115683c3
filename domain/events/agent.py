"""Events of an Agent's stream (stream id = agent id): what was asked of it, what it did, what it cost."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.budget import BudgetLevel
from domain.status import AgentStatus
from domain.values import ChangedFile, Usage


class AgentCreated(Aggregate.Created):
    session_id: UUID
    name: str
    model: str
    system_prompt: str
    template: str | None
    working_dir: str
    allowed_tools: tuple[str, ...]


class AgentCommanded(Aggregate.Event):
    """A command was accepted; `queued` when it waits for the current one (AgentCommandStarted starts it)."""

    command_id: UUID
    prompt: str
    task_slug: str
    author: str
    queued: bool


class AgentCommandStarted(Aggregate.Event):
    """The runtime should now run this command's prompt (recorded at once, or when the previous turn ends)."""

    command_id: UUID


class AgentCommandsDiscarded(Aggregate.Event):
    """Queued commands dropped because the agent's work ended (interrupt, failure, budget, deletion)."""

    command_ids: tuple[UUID, ...]
    reason: str


class AgentStatusChanged(Aggregate.Event):
    from_status: AgentStatus
    to_status: AgentStatus
    reason: str


class AgentTextBlockRecorded(Aggregate.Event):
    block_id: UUID
    command_id: UUID | None
    text: str


class AgentThinkingBlockRecorded(Aggregate.Event):
    block_id: UUID
    command_id: UUID | None
    thinking: str


class AgentToolUseBlockRecorded(Aggregate.Event):
    block_id: UUID
    command_id: UUID | None
    tool_use_id: str
    tool_name: str
    tool_input: dict[str, Any]


class HookEventRecorded(Aggregate.Event):
    """One SDK hook call; `summary` is a placeholder (None) filled in later by AgentSummaryGenerated."""

    hook_event_id: UUID
    command_id: UUID | None
    hook_type: str
    tool_name: str | None
    tool_use_id: str | None
    tool_input: dict[str, Any] | None
    tool_response: Any
    error: str | None
    payload: dict[str, Any]
    summary: str | None


class FilesTracked(Aggregate.Event):
    command_id: UUID | None
    tool_use_id: str | None
    read_paths: tuple[str, ...]
    changed_files: tuple[ChangedFile, ...]


class AgentTurnFinished(Aggregate.Event):
    """The SDK's result message for one command: `usage` is this turn's delta, not a running total."""

    command_id: UUID
    usage: Usage
    duration_ms: int
    num_turns: int
    sdk_session_id: str | None
    is_error: bool
    result: str


class AgentInterruptRequested(Aggregate.Event):
    command_id: UUID | None
    reason: str


class AgentInterrupted(Aggregate.Event):
    command_id: UUID | None


class AgentFailed(Aggregate.Event):
    command_id: UUID | None
    reason: str


class AgentDeleted(Aggregate.Event):
    name: str
    reason: str


class AgentSummaryGenerated(Aggregate.Event):
    """A short AI summary of one thing the agent did; `subject_id` is that thing's domain id
    (command_id, block_id or hook_event_id), stable across export and import."""

    subject_id: UUID
    subject_kind: str
    summary: str
    model: str
    usage: Usage


class AgentBudgetSet(Aggregate.Event):
    """`limit_usd` None removes the budget."""

    limit_usd: float | None
    warn_fraction: float


class AgentBudgetExceeded(Aggregate.Event):
    level: BudgetLevel
    threshold_usd: float
    total_cost_usd: float
