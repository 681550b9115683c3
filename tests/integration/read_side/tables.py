"""Helpers for projection tests: append a workload's decisions, read every projected table."""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence
from typing import Any

import asyncpg

from app.eventstore.store import EventStore
from domain.records import RecordedEvent
from projections.catalog import PROJECTORS
from projections.projector import Projector
from projections.state import fold_all
from projections.writer import TableWriter
from tests.session_workload import CODEC, SessionWorkload

Tables = dict[str, dict[Hashable, Any]]


def decisions(steps: Sequence[tuple[int, int]]) -> list[list[Any]]:
    """The appends a workload makes for these (action, pick) steps: the session's start, then one per
    accepted decision."""
    workload = SessionWorkload()
    appends = [workload.first()]
    for action, pick in steps:
        if batch := workload.decide(action, pick):
            appends.append(batch)
    return appends


def random_steps(count: int, seed: int) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    return [(rng.randrange(1000), rng.randrange(1000)) for _ in range(count)]


async def append_all(store: EventStore, appends: Sequence[Sequence[Any]]) -> int:
    position = 0
    for batch in appends:
        position = (await store.append(batch))[-1]
    return position


async def read_tables(pool: asyncpg.Pool, projectors: Sequence[Projector] = PROJECTORS) -> Tables:
    async with pool.acquire() as conn:
        return {
            table.name: await TableWriter(table).load_all(conn)
            for projector in projectors
            for table in projector.tables
        }


async def folded_in_memory(store: EventStore, up_to: int | None = None) -> Tables:
    events: list[RecordedEvent] = []
    while batch := await store.read_all(events[-1].position if events else 0, 10_000):
        events += batch
    if up_to is not None:
        events = [event for event in events if event.position <= up_to]
    return fold_all(events, CODEC, PROJECTORS).tables


async def checkpoint_positions(pool: asyncpg.Pool) -> dict[str, int]:
    records = await pool.fetch("SELECT name, position FROM projection_checkpoints")
    return {record["name"]: record["position"] for record in records}
