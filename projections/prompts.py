"""The `prompts` table: every command given to an agent, its state, its turn's usage and its summary."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from domain.agent import Agent
from domain.events import agent as events
from projections.projector import Projector, RowRef, Rows, Stamp
from projections.table import Table


class PromptRow(msgspec.Struct, frozen=True, kw_only=True):
    """`id` is the command id; `state` one of queued, running, done, failed, interrupted, discarded."""

    id: UUID
    agent_id: UUID
    task_slug: str
    author: str
    prompt_text: str
    summary: str | None
    state: str
    input_tokens: int
    output_tokens: int
    cost: float
    timestamp: datetime
    finished_at: datetime | None
    position: int


PROMPTS = Table("prompts", PromptRow, key=["id"])
projector = Projector("prompts", PROMPTS)


def _command(event: Any) -> tuple[RowRef, ...]:
    return () if event.command_id is None else ((PROMPTS, event.command_id),)


def _update(row: PromptRow, event: Any, at: Stamp, **changes: Any) -> PromptRow:
    return msgspec.structs.replace(row, position=at.position, **changes)


@projector.on(Agent.AgentCommanded)
def _commanded(event: events.AgentCommanded, at: Stamp, rows: Rows) -> Iterator[PromptRow]:
    yield PromptRow(
        id=event.command_id,
        agent_id=event.originator_id,
        task_slug=event.task_slug,
        author=event.author,
        prompt_text=event.prompt,
        summary=None,
        state="queued",
        input_tokens=0,
        output_tokens=0,
        cost=0.0,
        timestamp=event.timestamp,
        finished_at=None,
        position=at.position,
    )


@projector.on(Agent.AgentCommandStarted, reads=_command)
def _started(event: events.AgentCommandStarted, at: Stamp, rows: Rows) -> Iterator[PromptRow]:
    yield _update(rows.require(PROMPTS, event.command_id), event, at, state="running")


@projector.on(Agent.AgentTurnFinished, reads=_command)
def _turn_finished(event: events.AgentTurnFinished, at: Stamp, rows: Rows) -> Iterator[PromptRow]:
    row: PromptRow = rows.require(PROMPTS, event.command_id)
    yield _update(
        row,
        event,
        at,
        state="failed" if event.is_error else "done",
        input_tokens=row.input_tokens + event.usage.input_tokens,
        output_tokens=row.output_tokens + event.usage.output_tokens,
        cost=row.cost + event.usage.cost_usd,
        finished_at=event.timestamp,
    )


def _ended(state: str) -> Any:
    def fold(event: Any, at: Stamp, rows: Rows) -> Iterator[PromptRow]:
        if event.command_id is not None:
            row: PromptRow = rows.require(PROMPTS, event.command_id)
            if row.finished_at is None:
                yield _update(row, event, at, state=state, finished_at=event.timestamp)

    return fold


projector.on(Agent.AgentInterrupted, reads=_command)(_ended("interrupted"))
projector.on(Agent.AgentFailed, reads=_command)(_ended("failed"))


def _discarded_commands(event: events.AgentCommandsDiscarded) -> list[RowRef]:
    return [(PROMPTS, command_id) for command_id in event.command_ids]


@projector.on(Agent.AgentCommandsDiscarded, reads=_discarded_commands)
def _discarded(event: events.AgentCommandsDiscarded, at: Stamp, rows: Rows) -> Iterator[PromptRow]:
    for command_id in event.command_ids:
        row = rows.require(PROMPTS, command_id)
        yield _update(row, event, at, state="discarded", finished_at=event.timestamp)


def _subject(event: events.AgentSummaryGenerated) -> tuple[RowRef]:
    return ((PROMPTS, event.subject_id),)


@projector.on(Agent.AgentSummaryGenerated, reads=_subject)
def _summarised(event: events.AgentSummaryGenerated, at: Stamp, rows: Rows) -> Iterator[PromptRow]:
    row: PromptRow | None = rows.get(PROMPTS, event.subject_id)
    if row is not None:
        yield _update(row, event, at, summary=event.summary)
