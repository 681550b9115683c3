"""How each event of an Agent's stream looks on the wire (builders used by `frame_for`).

Rows (`agent_log`, `orchestrator_chat`, `system_log`) are the read tables' rows as the event creates them,
so a client sees the same row live and in a snapshot; except `AgentLogRow.session_id` (the agent's SDK
session), which the table tracks over time and a frame of one event cannot know: it is None here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from domain.agent import Agent
from domain.events import agent as ae
from domain.records import RecordedEvent
from projections.agent_logs import AgentLogRow, log_row
from projections.agents import new_agent_row
from projections.orchestrator_chat import ChatRow
from projections.system_logs import budget_line
from read_api import wire_types as w
from read_api.wire_context import WireContext

Built = tuple[str, msgspec.Struct]
Builder = Callable[[RecordedEvent, Any, WireContext], Built]


def _row(r: RecordedEvent, e: Any, ctx: WireContext) -> AgentLogRow:
    agent = ctx.agents.get(r.stream_id)
    return log_row(
        e,
        r.event_id,
        r.position,
        agent_name="" if agent is None else agent.name,
        orchestrator_agent_id=r.stream_id if agent is None else agent.session_id,
        session_id=None,
        task_slug=ctx.task_slug(e.command_id),
    )


def _log(r: RecordedEvent, e: Any, ctx: WireContext) -> Built:
    return "agent_log", w.AgentLog(position=r.position, log=_row(r, e, ctx))


def _created(r: RecordedEvent, e: ae.AgentCreated, ctx: WireContext) -> Built:
    agent = new_agent_row(e, r.position)
    return "agent_created", w.AgentCreated(position=r.position, agent=agent)


def _commanded(r: RecordedEvent, e: ae.AgentCommanded, ctx: WireContext) -> Built:
    """A command is a chat message to the agent, as in the original (`orchestrator_chat` to an agent)."""
    agent = ctx.agents.get(r.stream_id)
    message = ChatRow(
        id=e.command_id,
        orchestrator_agent_id=r.stream_id if agent is None else agent.session_id,
        sender_type="orchestrator" if e.author == "orchestrator" else "user",
        receiver_type="agent",
        message=e.prompt,
        agent_id=r.stream_id,
        summary=None,
        metadata={"type": "command", "task_slug": e.task_slug, "queued": e.queued, "author": e.author},
        created_at=e.timestamp,
        position=r.position,
    )
    return "orchestrator_chat", w.OrchestratorChat(position=r.position, message=message)


def _status_changed(r: RecordedEvent, e: ae.AgentStatusChanged, ctx: WireContext) -> Built:
    return "agent_status_changed", w.AgentStatusChanged(
        position=r.position,
        agent_id=r.stream_id,
        name=ctx.name_of(r.stream_id),
        old_status=str(e.from_status),
        new_status=str(e.to_status),
        reason=e.reason,
        timestamp=e.timestamp,
    )


def _turn_finished(r: RecordedEvent, e: ae.AgentTurnFinished, ctx: WireContext) -> Built:
    """Costs travel as this turn's delta: totals need a fold, which one event's frame cannot do."""
    log = _row(r, e, ctx)
    return "agent_updated", w.AgentUpdated(
        position=r.position,
        agent_id=r.stream_id,
        name=ctx.name_of(r.stream_id),
        delta=w.UsageDelta.of(e.usage),
        duration_ms=e.duration_ms,
        num_turns=e.num_turns,
        is_error=e.is_error,
        log=log,
    )


def _failed(r: RecordedEvent, e: ae.AgentFailed, ctx: WireContext) -> Built:
    message = f"agent {ctx.name_of(r.stream_id) or r.stream_id} failed: {e.reason}"
    log = _row(r, e, ctx)
    return "error", w.ErrorNotice(
        position=r.position, message=message, level="error", agent_id=r.stream_id, log=log
    )


def _deleted(r: RecordedEvent, e: ae.AgentDeleted, ctx: WireContext) -> Built:
    return "agent_deleted", w.AgentDeleted(position=r.position, agent_id=r.stream_id, name=e.name)


def _summary(r: RecordedEvent, e: ae.AgentSummaryGenerated, ctx: WireContext) -> Built:
    return "agent_summary_update", w.AgentSummaryUpdate(
        position=r.position,
        agent_id=r.stream_id,
        summary=e.summary,
        subject_id=e.subject_id,
        subject_kind=e.subject_kind,
    )


def _budget(r: RecordedEvent, e: ae.AgentBudgetExceeded, ctx: WireContext) -> Built:
    agent = ctx.agents.get(r.stream_id)
    name = "?" if agent is None else agent.name
    session_id = r.stream_id if agent is None else agent.session_id
    extra = {"agent_id": str(r.stream_id), "agent_name": name}
    log = budget_line(e, r.event_id, r.position, f"agent {name!r}", session_id, **extra)
    return "system_log", w.SystemLog(position=r.position, log=log)


AGENT_FRAMES: dict[type[Any], Builder] = {
    Agent.AgentCreated: _created,
    Agent.AgentCommanded: _commanded,
    Agent.AgentStatusChanged: _status_changed,
    Agent.AgentTextBlockRecorded: _log,
    Agent.AgentThinkingBlockRecorded: _log,
    Agent.AgentToolUseBlockRecorded: _log,
    Agent.HookEventRecorded: _log,
    Agent.FilesTracked: _log,
    Agent.AgentTurnFinished: _turn_finished,
    Agent.AgentFailed: _failed,
    Agent.AgentInterrupted: _log,
    Agent.AgentDeleted: _deleted,
    Agent.AgentSummaryGenerated: _summary,
    Agent.AgentBudgetExceeded: _budget,
}
"""Not on the wire: command start/discard bookkeeping, interrupt requests (status changes are), budgets."""
