"""The `agent_logs` table: one row per thing an agent did — hook calls, blocks, files, results, failures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from domain.agent import Agent
from domain.events import agent as events
from projections import agent_log_lookups as lookups
from projections.agent_log_lookups import LOGGED_AGENTS, LOGGED_COMMANDS, LoggedAgent
from projections.projector import Projector, RowRef, Rows, Stamp
from projections.table import Table


class AgentLogRow(msgspec.Struct, frozen=True, kw_only=True):
    """`entry_index` is the event's version in the agent's stream; `orchestrator_agent_id` the agent's
    session; `session_id` the agent's SDK session as known when the entry was written; `position` the
    event that created the entry."""

    id: UUID
    agent_id: UUID
    agent_name: str
    orchestrator_agent_id: UUID
    session_id: str | None
    task_slug: str | None
    entry_index: int
    event_category: str
    event_type: str
    content: str | None
    summary: str | None
    payload: dict[str, Any]
    timestamp: datetime
    position: int


AGENT_LOGS = Table("agent_logs", AgentLogRow, key=["id"])
projector = Projector("agent_logs", AGENT_LOGS, LOGGED_AGENTS, LOGGED_COMMANDS)

LOG_EVENTS: tuple[type, ...] = (
    Agent.HookEventRecorded,
    Agent.AgentTextBlockRecorded,
    Agent.AgentThinkingBlockRecorded,
    Agent.AgentToolUseBlockRecorded,
    Agent.FilesTracked,
    Agent.AgentTurnFinished,
    Agent.AgentFailed,
    Agent.AgentInterrupted,
)
"""The agent events that each add one entry (the agents table counts them)."""


def _entry(
    event: Any,
    at: Stamp,
    rows: Rows,
    *,
    entry_id: UUID,
    category: str,
    event_type: str,
    content: str | None,
    summary: str | None = None,
    **payload: Any,
) -> AgentLogRow:
    agent, task_slug = lookups.context(event, rows)
    return AgentLogRow(
        id=entry_id,
        agent_id=event.originator_id,
        agent_name=agent.name,
        orchestrator_agent_id=agent.orchestrator_agent_id,
        session_id=agent.session_id,
        task_slug=task_slug,
        entry_index=event.originator_version,
        event_category=category,
        event_type=event_type,
        content=content,
        summary=summary,
        payload=payload,
        timestamp=event.timestamp,
        position=at.position,
    )


projector.on(Agent.AgentCreated)(lookups.agent_created)
projector.on(Agent.AgentCommanded)(lookups.agent_commanded)


@projector.on(Agent.HookEventRecorded, reads=lookups.context_refs)
def _hook(event: events.HookEventRecorded, at: Stamp, rows: Rows) -> Iterator[AgentLogRow]:
    yield _entry(
        event,
        at,
        rows,
        entry_id=event.hook_event_id,
        category="hook",
        event_type=event.hook_type,
        content=event.tool_name,
        summary=event.summary,
        tool_name=event.tool_name,
        tool_use_id=event.tool_use_id,
        tool_input=event.tool_input,
        tool_output=event.tool_response,
        error=event.error,
        hook=event.payload,
    )


@projector.on(Agent.AgentTextBlockRecorded, reads=lookups.context_refs)
def _text(event: events.AgentTextBlockRecorded, at: Stamp, rows: Rows) -> Iterator[AgentLogRow]:
    yield _entry(
        event, at, rows, entry_id=event.block_id, category="response", event_type="text", content=event.text
    )


@projector.on(Agent.AgentThinkingBlockRecorded, reads=lookups.context_refs)
def _thinking(event: events.AgentThinkingBlockRecorded, at: Stamp, rows: Rows) -> Iterator[AgentLogRow]:
    yield _entry(
        event,
        at,
        rows,
        entry_id=event.block_id,
        category="response",
        event_type="thinking",
        content=event.thinking,
    )


@projector.on(Agent.AgentToolUseBlockRecorded, reads=lookups.context_refs)
def _tool_use(event: events.AgentToolUseBlockRecorded, at: Stamp, rows: Rows) -> Iterator[AgentLogRow]:
    yield _entry(
        event,
        at,
        rows,
        entry_id=event.block_id,
        category="response",
        event_type="tool_use",
        content=event.tool_name,
        tool_name=event.tool_name,
        tool_use_id=event.tool_use_id,
        tool_input=event.tool_input,
    )


@projector.on(Agent.FilesTracked, reads=lookups.context_refs)
def _files(event: events.FilesTracked, at: Stamp, rows: Rows) -> Iterator[AgentLogRow]:
    changed = [{"path": change.path, "diff": change.diff} for change in event.changed_files]
    yield _entry(
        event,
        at,
        rows,
        entry_id=at.event_id,
        category="file",
        event_type="files",
        content=f"read {len(event.read_paths)}, changed {len(changed)}",
        tool_use_id=event.tool_use_id,
        files={"read": list(event.read_paths), "changed": changed},
    )


@projector.on(Agent.AgentTurnFinished, reads=lookups.context_refs)
def _turn_finished(event: events.AgentTurnFinished, at: Stamp, rows: Rows) -> Iterator[Any]:
    agent: LoggedAgent = rows.require(LOGGED_AGENTS, event.originator_id)
    if event.sdk_session_id and event.sdk_session_id != agent.session_id:
        agent = msgspec.structs.replace(agent, session_id=event.sdk_session_id, position=at.position)
        yield agent
    usage = msgspec.structs.asdict(event.usage)
    entry = _entry(
        event,
        at,
        rows,
        entry_id=at.event_id,
        category="response",
        event_type="result",
        content=event.result,
        usage=usage,
        duration_ms=event.duration_ms,
        num_turns=event.num_turns,
        is_error=event.is_error,
    )
    yield msgspec.structs.replace(entry, session_id=agent.session_id)


@projector.on(Agent.AgentFailed, reads=lookups.context_refs)
def _failed(event: events.AgentFailed, at: Stamp, rows: Rows) -> Iterator[AgentLogRow]:
    yield _entry(
        event, at, rows, entry_id=at.event_id, category="response", event_type="failed", content=event.reason
    )


@projector.on(Agent.AgentInterrupted, reads=lookups.context_refs)
def _interrupted(event: events.AgentInterrupted, at: Stamp, rows: Rows) -> Iterator[AgentLogRow]:
    yield _entry(
        event, at, rows, entry_id=at.event_id, category="response", event_type="interrupted", content=None
    )


def _subject(event: events.AgentSummaryGenerated) -> tuple[RowRef]:
    return ((AGENT_LOGS, event.subject_id),)


@projector.on(Agent.AgentSummaryGenerated, reads=_subject)
def _summarised(event: events.AgentSummaryGenerated, at: Stamp, rows: Rows) -> Iterator[AgentLogRow]:
    entry: AgentLogRow | None = rows.get(AGENT_LOGS, event.subject_id)
    if entry is not None:
        yield msgspec.structs.replace(entry, summary=event.summary)
