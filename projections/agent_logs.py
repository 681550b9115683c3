"""The `agent_logs` table: one row per thing an agent did — hook calls, blocks, files, results, failures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, NamedTuple
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


class _Entry(NamedTuple):
    id: UUID
    category: str
    event_type: str
    content: str | None
    summary: str | None
    payload: dict[str, Any]


def _hook(e: events.HookEventRecorded, event_id: UUID) -> _Entry:
    payload = {
        "tool_name": e.tool_name,
        "tool_use_id": e.tool_use_id,
        "tool_input": e.tool_input,
        "tool_output": e.tool_response,
        "error": e.error,
        "hook": e.payload,
    }
    return _Entry(e.hook_event_id, "hook", e.hook_type, e.tool_name, e.summary, payload)


def _text(e: events.AgentTextBlockRecorded, event_id: UUID) -> _Entry:
    return _Entry(e.block_id, "response", "text", e.text, None, {})


def _thinking(e: events.AgentThinkingBlockRecorded, event_id: UUID) -> _Entry:
    return _Entry(e.block_id, "response", "thinking", e.thinking, None, {})


def _tool_use(e: events.AgentToolUseBlockRecorded, event_id: UUID) -> _Entry:
    payload = {"tool_name": e.tool_name, "tool_use_id": e.tool_use_id, "tool_input": e.tool_input}
    return _Entry(e.block_id, "response", "tool_use", e.tool_name, None, payload)


def _files(e: events.FilesTracked, event_id: UUID) -> _Entry:
    changed = [{"path": change.path, "diff": change.diff} for change in e.changed_files]
    content = f"read {len(e.read_paths)}, changed {len(changed)}"
    files = {"read": list(e.read_paths), "changed": changed}
    return _Entry(event_id, "file", "files", content, None, {"tool_use_id": e.tool_use_id, "files": files})


def _result(e: events.AgentTurnFinished, event_id: UUID) -> _Entry:
    payload = {
        "usage": msgspec.structs.asdict(e.usage),
        "duration_ms": e.duration_ms,
        "num_turns": e.num_turns,
        "is_error": e.is_error,
    }
    return _Entry(event_id, "response", "result", e.result, None, payload)


def _failed(e: events.AgentFailed, event_id: UUID) -> _Entry:
    return _Entry(event_id, "response", "failed", e.reason, None, {})


def _interrupted(e: events.AgentInterrupted, event_id: UUID) -> _Entry:
    return _Entry(event_id, "response", "interrupted", None, None, {})


_ENTRIES: dict[type, Callable[[Any, UUID], _Entry]] = {
    Agent.HookEventRecorded: _hook,
    Agent.AgentTextBlockRecorded: _text,
    Agent.AgentThinkingBlockRecorded: _thinking,
    Agent.AgentToolUseBlockRecorded: _tool_use,
    Agent.FilesTracked: _files,
    Agent.AgentTurnFinished: _result,
    Agent.AgentFailed: _failed,
    Agent.AgentInterrupted: _interrupted,
}
LOG_EVENTS: tuple[type, ...] = tuple(_ENTRIES)
"""The agent events that each add one entry (the agents table counts them)."""


def log_row(
    event: Any,
    event_id: UUID,
    position: int,
    *,
    agent_name: str,
    orchestrator_agent_id: UUID,
    session_id: str | None,
    task_slug: str | None,
) -> AgentLogRow:
    """The entry an agent event adds; the `agent_log` wire frame carries the same row."""
    entry = _ENTRIES[type(event)](event, event_id)
    return AgentLogRow(
        id=entry.id,
        agent_id=event.originator_id,
        agent_name=agent_name,
        orchestrator_agent_id=orchestrator_agent_id,
        session_id=session_id,
        task_slug=task_slug,
        entry_index=event.originator_version,
        event_category=entry.category,
        event_type=entry.event_type,
        content=entry.content,
        summary=entry.summary,
        payload=entry.payload,
        timestamp=event.timestamp,
        position=position,
    )


def _entry(event: Any, at: Stamp, rows: Rows) -> AgentLogRow:
    agent, task_slug = lookups.context(event, rows)
    return log_row(
        event,
        at.event_id,
        at.position,
        agent_name=agent.name,
        orchestrator_agent_id=agent.orchestrator_agent_id,
        session_id=agent.session_id,
        task_slug=task_slug,
    )


projector.on(Agent.AgentCreated)(lookups.agent_created)
projector.on(Agent.AgentCommanded)(lookups.agent_commanded)


def _logged(event: Any, at: Stamp, rows: Rows) -> Iterator[AgentLogRow]:
    yield _entry(event, at, rows)


for _kind in LOG_EVENTS:
    if _kind is not Agent.AgentTurnFinished:
        projector.on(_kind, reads=lookups.context_refs)(_logged)


@projector.on(Agent.AgentTurnFinished, reads=lookups.context_refs)
def _turn_finished(event: events.AgentTurnFinished, at: Stamp, rows: Rows) -> Iterator[Any]:
    agent: LoggedAgent = rows.require(LOGGED_AGENTS, event.originator_id)
    if event.sdk_session_id and event.sdk_session_id != agent.session_id:
        agent = msgspec.structs.replace(agent, session_id=event.sdk_session_id, position=at.position)
        yield agent
    entry = _entry(event, at, rows)
    yield msgspec.structs.replace(entry, session_id=agent.session_id)


def _subject(event: events.AgentSummaryGenerated) -> tuple[RowRef]:
    return ((AGENT_LOGS, event.subject_id),)


@projector.on(Agent.AgentSummaryGenerated, reads=_subject)
def _summarised(event: events.AgentSummaryGenerated, at: Stamp, rows: Rows) -> Iterator[AgentLogRow]:
    entry: AgentLogRow | None = rows.get(AGENT_LOGS, event.subject_id)
    if entry is not None:
        yield msgspec.structs.replace(entry, summary=event.summary)
