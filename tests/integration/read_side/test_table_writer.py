"""TableWriter on a real table: loads by key and prefix, COPYs new rows, upserts the rest."""

from __future__ import annotations

import datetime as dt
from uuid import UUID, uuid4

import asyncpg

from projections.costs import COSTS, CostRow
from projections.projector import Prefix
from projections.writer import TableWriter


def cost(day: dt.date, agent: UUID, model: str, calls: int) -> CostRow:
    return CostRow(
        day=day,
        agent_id=agent,
        model=model,
        orchestrator_agent_id=uuid4(),
        agent_name="a",
        input_tokens=1,
        output_tokens=2,
        cache_read_input_tokens=3,
        cache_creation_input_tokens=4,
        cost_usd=0.5,
        calls=calls,
        position=calls,
    )


async def test_new_rows_are_copied_and_rows_thought_new_but_stored_are_replaced(
    fresh_pool: asyncpg.Pool,
) -> None:
    writer = TableWriter(COSTS)
    day = dt.date(2025, 5, 1)
    agents = [uuid4() for _ in range(60)]
    first = {COSTS.key_of(row): row for row in (cost(day, agent, "haiku", 1) for agent in agents)}
    again = {COSTS.key_of(row): row for row in (cost(day, agent, "haiku", 2) for agent in agents)}
    async with fresh_pool.acquire() as conn, conn.transaction():
        await writer.write(conn, first, existing=set())
        await writer.write(conn, again, existing=set())  # the COPY collides, the upsert takes over
        stored = await writer.load_all(conn)
    assert stored == again


async def test_rows_load_by_whole_key_or_by_prefix(fresh_pool: asyncpg.Pool) -> None:
    writer = TableWriter(COSTS)
    day = dt.date(2025, 5, 2)
    agent, other = uuid4(), uuid4()
    rows = [cost(day, agent, "haiku", 1), cost(day, agent, "opus", 2), cost(day, other, "haiku", 3)]
    async with fresh_pool.acquire() as conn:
        await writer.upsert(conn, rows)
        by_prefix = await writer.load(conn, [Prefix((day, agent))])
        by_key = await writer.load(conn, [(day, other, "haiku"), (day, other, "opus")])
    assert sorted(row.model for row in by_prefix.values()) == ["haiku", "opus"]
    assert list(by_key.values()) == [rows[2]]
