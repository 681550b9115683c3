"""The `orchestrator_agents` table: one row per orchestrator session — model, status, usage, budget."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from domain.events import session as events
from domain.session import OrchestratorSession
from projections.projector import Projector, RowRef, Rows, Stamp
from projections.table import Table


class OrchestratorRow(msgspec.Struct, frozen=True, kw_only=True):
    """`id` is the session (its stream id); `session_id` the orchestrator's Claude SDK session, once known.
    `total_cost` is the orchestrator's own; `agents_cost` what its agents spent (the session's ledger)."""

    id: UUID
    session_id: str | None
    system_prompt: str
    status: str
    working_dir: str
    model: str
    input_tokens: int
    output_tokens: int
    total_cost: float
    agents_cost: float
    budget_usd: float | None
    archived: bool
    metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    position: int


ORCHESTRATORS = Table("orchestrator_agents", OrchestratorRow, key=["id"])
projector = Projector("orchestrator_agents", ORCHESTRATORS)


def _this_session(event: Any) -> tuple[RowRef]:
    return ((ORCHESTRATORS, event.originator_id),)


def _update(event: Any, at: Stamp, rows: Rows, **changes: Any) -> OrchestratorRow:
    row: OrchestratorRow = rows.require(ORCHESTRATORS, event.originator_id)
    return msgspec.structs.replace(row, updated_at=event.timestamp, position=at.position, **changes)


@projector.on(OrchestratorSession.SessionStarted)
def _started(event: events.SessionStarted, at: Stamp, rows: Rows) -> Iterator[OrchestratorRow]:
    yield OrchestratorRow(
        id=event.originator_id,
        session_id=None,
        system_prompt=event.system_prompt,
        status="idle",
        working_dir=event.working_dir,
        model=event.model,
        input_tokens=0,
        output_tokens=0,
        total_cost=0.0,
        agents_cost=0.0,
        budget_usd=None,
        archived=False,
        metadata={"turns": 0, "duration_ms": 0},
        created_at=event.timestamp,
        updated_at=event.timestamp,
        position=at.position,
    )


@projector.on(OrchestratorSession.SessionResumed, reads=_this_session)
def _resumed(event: events.SessionResumed, at: Stamp, rows: Rows) -> Iterator[OrchestratorRow]:
    yield _update(event, at, rows, working_dir=event.working_dir, model=event.model, status="idle")


@projector.on(OrchestratorSession.UserMessageSent, reads=_this_session)
def _user_message(event: events.UserMessageSent, at: Stamp, rows: Rows) -> Iterator[OrchestratorRow]:
    yield _update(event, at, rows, status="executing")


@projector.on(OrchestratorSession.OrchestratorTurnFinished, reads=_this_session)
def _turn_finished(
    event: events.OrchestratorTurnFinished, at: Stamp, rows: Rows
) -> Iterator[OrchestratorRow]:
    row: OrchestratorRow = rows.require(ORCHESTRATORS, event.originator_id)
    yield _update(
        event,
        at,
        rows,
        status="idle",
        session_id=event.sdk_session_id or row.session_id,
        input_tokens=row.input_tokens + event.usage.input_tokens,
        output_tokens=row.output_tokens + event.usage.output_tokens,
        total_cost=row.total_cost + event.usage.cost_usd,
        metadata={
            "turns": row.metadata["turns"] + event.num_turns,
            "duration_ms": row.metadata["duration_ms"] + event.duration_ms,
        },
    )


@projector.on(OrchestratorSession.AgentCostAccrued, reads=_this_session)
def _agent_cost(event: events.AgentCostAccrued, at: Stamp, rows: Rows) -> Iterator[OrchestratorRow]:
    row: OrchestratorRow = rows.require(ORCHESTRATORS, event.originator_id)
    yield _update(event, at, rows, agents_cost=row.agents_cost + event.usage.cost_usd)


@projector.on(OrchestratorSession.SessionBudgetSet, reads=_this_session)
def _budget_set(event: events.SessionBudgetSet, at: Stamp, rows: Rows) -> Iterator[OrchestratorRow]:
    yield _update(event, at, rows, budget_usd=event.limit_usd)
