"""The `agents` table: one row per worker agent — status, usage, budget, latest summary, log count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from domain.agent import Agent
from domain.events import agent as events
from projections.agent_logs import LOG_EVENTS
from projections.projector import Projector, RowRef, Rows, Stamp
from projections.table import Table


class AgentRow(msgspec.Struct, frozen=True, kw_only=True):
    """A worker agent as the UI lists it; `session_id` is its Claude SDK session (known after a turn)."""

    id: UUID
    orchestrator_agent_id: UUID
    name: str
    model: str
    system_prompt: str
    template: str | None
    working_dir: str
    status: str
    session_id: str | None
    input_tokens: int
    output_tokens: int
    total_cost: float
    budget_usd: float | None
    archived: bool
    latest_summary: str | None
    log_count: int
    metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    position: int


AGENTS = Table("agents", AgentRow, key=["id"])
projector = Projector("agents", AGENTS)


def _this_agent(event: Any) -> tuple[RowRef]:
    return ((AGENTS, event.originator_id),)


def _touch(row: AgentRow, event: Any, at: Stamp, **changes: Any) -> AgentRow:
    return msgspec.structs.replace(row, updated_at=event.timestamp, position=at.position, **changes)


def new_agent_row(event: events.AgentCreated, position: int) -> AgentRow:
    """The row an agent starts with; the `agent_created` wire frame carries the same row."""
    return AgentRow(
        id=event.originator_id,
        orchestrator_agent_id=event.session_id,
        name=event.name,
        model=event.model,
        system_prompt=event.system_prompt,
        template=event.template,
        working_dir=event.working_dir,
        status="idle",
        session_id=None,
        input_tokens=0,
        output_tokens=0,
        total_cost=0.0,
        budget_usd=None,
        archived=False,
        latest_summary=None,
        log_count=0,
        metadata={"allowed_tools": list(event.allowed_tools)},
        created_at=event.timestamp,
        updated_at=event.timestamp,
        position=position,
    )


@projector.on(Agent.AgentCreated)
def _created(event: events.AgentCreated, at: Stamp, rows: Rows) -> Iterator[AgentRow]:
    yield new_agent_row(event, at.position)


@projector.on(Agent.AgentStatusChanged, reads=_this_agent)
def _status_changed(event: events.AgentStatusChanged, at: Stamp, rows: Rows) -> Iterator[AgentRow]:
    row = rows.require(AGENTS, event.originator_id)
    yield _touch(row, event, at, status=event.to_status.value)


@projector.on(Agent.AgentDeleted, reads=_this_agent)
def _deleted(event: events.AgentDeleted, at: Stamp, rows: Rows) -> Iterator[AgentRow]:
    yield _touch(rows.require(AGENTS, event.originator_id), event, at, archived=True)


@projector.on(Agent.AgentBudgetSet, reads=_this_agent)
def _budget_set(event: events.AgentBudgetSet, at: Stamp, rows: Rows) -> Iterator[AgentRow]:
    yield _touch(rows.require(AGENTS, event.originator_id), event, at, budget_usd=event.limit_usd)


@projector.on(Agent.AgentSummaryGenerated, reads=_this_agent)
def _summarised(event: events.AgentSummaryGenerated, at: Stamp, rows: Rows) -> Iterator[AgentRow]:
    yield _touch(rows.require(AGENTS, event.originator_id), event, at, latest_summary=event.summary)


@projector.on(Agent.AgentTurnFinished, reads=_this_agent)
def _turn_finished(event: events.AgentTurnFinished, at: Stamp, rows: Rows) -> Iterator[AgentRow]:
    row: AgentRow = rows.require(AGENTS, event.originator_id)
    yield _touch(
        row,
        event,
        at,
        session_id=event.sdk_session_id or row.session_id,
        input_tokens=row.input_tokens + event.usage.input_tokens,
        output_tokens=row.output_tokens + event.usage.output_tokens,
        total_cost=row.total_cost + event.usage.cost_usd,
        log_count=row.log_count + 1,
    )


def _logged(event: Any, at: Stamp, rows: Rows) -> Iterator[AgentRow]:
    row: AgentRow = rows.require(AGENTS, event.originator_id)
    yield _touch(row, event, at, log_count=row.log_count + 1)


for _event_type in LOG_EVENTS:
    if _event_type not in projector.folds:
        projector.on(_event_type, reads=_this_agent)(_logged)
