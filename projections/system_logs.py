"""The `system_logs` table: the session's log lines, and budget warnings of the session and its agents."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from domain.agent import Agent
from domain.budget import BudgetLevel
from domain.events import agent as agent_events
from domain.events import session as events
from domain.session import OrchestratorSession
from projections.projector import Projector, RowRef, Rows, Stamp
from projections.table import Table


class SystemLogRow(msgspec.Struct, frozen=True, kw_only=True):
    """`orchestrator_agent_id` is the session the line belongs to; `position` the event that created it."""

    id: UUID
    orchestrator_agent_id: UUID | None
    level: str
    message: str
    summary: str | None
    metadata: dict[str, Any]
    timestamp: datetime
    position: int


class LoggingAgent(msgspec.Struct, frozen=True, kw_only=True):
    """Private lookup: the name and session of an agent whose budget lines this table writes."""

    id: UUID
    name: str
    orchestrator_agent_id: UUID
    position: int


SYSTEM_LOGS = Table("system_logs", SystemLogRow, key=["id"])
LOGGING_AGENTS = Table("system_log_agents", LoggingAgent, key=["id"])
projector = Projector("system_logs", SYSTEM_LOGS, LOGGING_AGENTS)

_BUDGET_LEVELS = {BudgetLevel.WARNING: "WARNING", BudgetLevel.LIMIT: "ERROR"}


def system_log_row(event: events.SystemLogRecorded, position: int) -> SystemLogRow:
    """The line a recorded system log adds; the `system_log` wire frame carries the same row."""
    return SystemLogRow(
        id=event.log_id,
        orchestrator_agent_id=event.originator_id,
        level=event.level,
        message=event.message,
        summary=None,
        metadata=event.details,
        timestamp=event.timestamp,
        position=position,
    )


@projector.on(OrchestratorSession.SystemLogRecorded)
def _recorded(event: events.SystemLogRecorded, at: Stamp, rows: Rows) -> Iterator[SystemLogRow]:
    yield system_log_row(event, at.position)


def budget_line(
    event: Any, event_id: UUID, position: int, who: str, session_id: UUID, **metadata: Any
) -> SystemLogRow:
    """The line a budget warning or limit adds; the `system_log` wire frame carries the same row."""
    reached = "limit" if event.level is BudgetLevel.LIMIT else "warning threshold"
    return SystemLogRow(
        id=event_id,
        orchestrator_agent_id=session_id,
        level=_BUDGET_LEVELS[event.level],
        message=(
            f"{who} reached its budget {reached}: ${event.total_cost_usd:.4f} "
            f"(threshold ${event.threshold_usd:.4f})"
        ),
        summary=None,
        metadata={
            "budget_level": event.level.value,
            "threshold_usd": event.threshold_usd,
            "total_cost_usd": event.total_cost_usd,
            **metadata,
        },
        timestamp=event.timestamp,
        position=position,
    )


@projector.on(OrchestratorSession.SessionBudgetExceeded)
def _session_budget(event: events.SessionBudgetExceeded, at: Stamp, rows: Rows) -> Iterator[SystemLogRow]:
    yield budget_line(event, at.event_id, at.position, "the session", event.originator_id)


@projector.on(Agent.AgentCreated)
def _agent_created(event: agent_events.AgentCreated, at: Stamp, rows: Rows) -> Iterator[LoggingAgent]:
    yield LoggingAgent(
        id=event.originator_id, name=event.name, orchestrator_agent_id=event.session_id, position=at.position
    )


def _the_agent(event: agent_events.AgentBudgetExceeded) -> tuple[RowRef]:
    return ((LOGGING_AGENTS, event.originator_id),)


@projector.on(Agent.AgentBudgetExceeded, reads=_the_agent)
def _agent_budget(event: agent_events.AgentBudgetExceeded, at: Stamp, rows: Rows) -> Iterator[SystemLogRow]:
    agent: LoggingAgent = rows.require(LOGGING_AGENTS, event.originator_id)
    yield budget_line(
        event,
        at.event_id,
        at.position,
        f"agent {agent.name!r}",
        agent.orchestrator_agent_id,
        agent_id=str(agent.id),
        agent_name=agent.name,
    )


def _subject(event: events.SessionSummaryGenerated) -> tuple[RowRef]:
    return ((SYSTEM_LOGS, event.subject_id),)


@projector.on(OrchestratorSession.SessionSummaryGenerated, reads=_subject)
def _summarised(event: events.SessionSummaryGenerated, at: Stamp, rows: Rows) -> Iterator[SystemLogRow]:
    row: SystemLogRow | None = rows.get(SYSTEM_LOGS, event.subject_id)
    if row is not None:
        yield msgspec.structs.replace(row, summary=event.summary)
