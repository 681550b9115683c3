"""The `cost_rollup` table: tokens and dollars per day, per agent (or orchestrator), per model."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

import msgspec

from domain.agent import Agent
from domain.events import agent as agent_events
from domain.events import session as session_events
from domain.session import OrchestratorSession
from domain.values import Usage
from projections.projector import Prefix, Projector, RowRef, Rows, Stamp
from projections.table import Table

ORCHESTRATOR = "orchestrator"


class CostRow(msgspec.Struct, frozen=True, kw_only=True):
    """One (UTC day, agent, model) bucket; the orchestrator's own spending has `agent_id` = the session
    id and `agent_name` "orchestrator". `calls` counts turns and summaries billed to the bucket."""

    day: date
    agent_id: UUID
    model: str
    orchestrator_agent_id: UUID
    agent_name: str
    input_tokens: int
    output_tokens: int
    cache_read_input_tokens: int
    cache_creation_input_tokens: int
    cost_usd: float
    calls: int
    position: int


class Spender(msgspec.Struct, frozen=True, kw_only=True):
    """Private lookup: who a stream is (session or agent), and the model its turns run on now."""

    id: UUID
    orchestrator_agent_id: UUID
    name: str
    model: str
    position: int


COSTS = Table("cost_rollup", CostRow, key=["day", "agent_id", "model"])
SPENDERS = Table("cost_rollup_spenders", Spender, key=["id"])
projector = Projector("cost_rollup", COSTS, SPENDERS)


def _bucket(event: Any, model: str) -> RowRef:
    return (COSTS, (event.timestamp.date(), event.originator_id, model))


def _add(event: Any, at: Stamp, rows: Rows, spender: Spender, model: str, usage: Usage) -> CostRow:
    row: CostRow | None = rows.get(*_bucket(event, model))
    if row is None:
        row = CostRow(
            day=event.timestamp.date(),
            agent_id=event.originator_id,
            model=model,
            orchestrator_agent_id=spender.orchestrator_agent_id,
            agent_name=spender.name,
            input_tokens=0,
            output_tokens=0,
            cache_read_input_tokens=0,
            cache_creation_input_tokens=0,
            cost_usd=0.0,
            calls=0,
            position=at.position,
        )
    return msgspec.structs.replace(
        row,
        input_tokens=row.input_tokens + usage.input_tokens,
        output_tokens=row.output_tokens + usage.output_tokens,
        cache_read_input_tokens=row.cache_read_input_tokens + usage.cache_read_input_tokens,
        cache_creation_input_tokens=row.cache_creation_input_tokens + usage.cache_creation_input_tokens,
        cost_usd=row.cost_usd + usage.cost_usd,
        calls=row.calls + 1,
        position=at.position,
    )


@projector.on(OrchestratorSession.SessionStarted)
def _session_started(event: session_events.SessionStarted, at: Stamp, rows: Rows) -> Iterator[Spender]:
    yield Spender(
        id=event.originator_id,
        orchestrator_agent_id=event.originator_id,
        name=ORCHESTRATOR,
        model=event.model,
        position=at.position,
    )


def _spender(event: Any) -> tuple[RowRef]:
    return ((SPENDERS, event.originator_id),)


@projector.on(OrchestratorSession.SessionResumed, reads=_spender)
def _session_resumed(event: session_events.SessionResumed, at: Stamp, rows: Rows) -> Iterator[Spender]:
    spender = rows.require(SPENDERS, event.originator_id)
    yield msgspec.structs.replace(spender, model=event.model, position=at.position)


@projector.on(Agent.AgentCreated)
def _agent_created(event: agent_events.AgentCreated, at: Stamp, rows: Rows) -> Iterator[Spender]:
    yield Spender(
        id=event.originator_id,
        orchestrator_agent_id=event.session_id,
        name=event.name,
        model=event.model,
        position=at.position,
    )


def _turn_reads(event: Any) -> list[RowRef]:
    # The bucket's model is the spender's, known only once the spender is read: declare all its models.
    return [(SPENDERS, event.originator_id), (COSTS, Prefix((event.timestamp.date(), event.originator_id)))]


def _turn(event: Any, at: Stamp, rows: Rows) -> Iterator[CostRow]:
    spender: Spender = rows.require(SPENDERS, event.originator_id)
    yield _add(event, at, rows, spender, spender.model, event.usage)


def _summary_reads(event: Any) -> list[RowRef]:
    return [(SPENDERS, event.originator_id), _bucket(event, event.model)]


def _summary(event: Any, at: Stamp, rows: Rows) -> Iterator[CostRow]:
    """Summaries are billed to the summarised stream, on the summary model."""
    spender: Spender = rows.require(SPENDERS, event.originator_id)
    yield _add(event, at, rows, spender, event.model, event.usage)


projector.on(Agent.AgentTurnFinished, reads=_turn_reads)(_turn)
projector.on(OrchestratorSession.OrchestratorTurnFinished, reads=_turn_reads)(_turn)
projector.on(Agent.AgentSummaryGenerated, reads=_summary_reads)(_summary)
projector.on(OrchestratorSession.SessionSummaryGenerated, reads=_summary_reads)(_summary)
