"""The projection runner against real PostgreSQL: live tables equal a rebuild and the in-memory folds,
exactly once across restarts and concurrent runners, and loud stops on events it cannot apply."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from uuid import uuid4

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.eventstore.follow import follow
from app.eventstore.listener import AppendListener
from app.eventstore.pool import create_pool
from app.eventstore.store import EventStore
from domain.agent import Agent
from domain.records import NewEvent
from projections import checkpoints
from projections.catalog import PROJECTORS
from projections.folding import ProjectionStopped
from projections.rebuild import rebuild
from projections.runner import ProjectionRunner
from tests.integration.read_side.conftest import fresh_database
from tests.integration.read_side.tables import (
    append_all,
    checkpoint_positions,
    decisions,
    folded_in_memory,
    random_steps,
    read_tables,
)
from tests.session_workload import CODEC

STEPS = st.lists(st.tuples(st.integers(0, 999), st.integers(0, 999)), min_size=0, max_size=120)


@contextlib.asynccontextmanager
async def running(
    url: str, pool: asyncpg.Pool, batch_size: int = 1000
) -> AsyncIterator[tuple[ProjectionRunner, asyncio.Task[None]]]:
    """A runner following the store in the background; cancelled on exit."""
    store = EventStore(pool)
    async with AppendListener(url) as listener:
        runner = ProjectionRunner(pool, CODEC, PROJECTORS, batch_size=batch_size)
        task = asyncio.create_task(runner.run(lambda position: follow(store, listener, position)))
        try:
            yield runner, task
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


async def caught_up(runner: ProjectionRunner, task: asyncio.Task[None], position: int) -> None:
    waiting = asyncio.ensure_future(runner.wait_for(position))
    done, _ = await asyncio.wait({waiting, task}, timeout=60, return_when=asyncio.FIRST_COMPLETED)
    waiting.cancel()
    if task in done:
        task.result()
    assert waiting in done, f"runner stuck at {runner.position}, wanted {position}"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS, batch_size=st.integers(1, 40), split=st.integers(0, 100))
async def test_live_tables_equal_a_rebuild_and_the_in_memory_folds(
    server_url: str, template_name: str, steps: list[tuple[int, int]], batch_size: int, split: int
) -> None:
    appends = decisions(steps)
    cut = len(appends) * split // 100
    async with fresh_database(server_url, template_name) as url:
        pool = await create_pool(url, min_size=1, max_size=4)
        try:
            store = EventStore(pool)
            await append_all(store, appends[:cut])
            async with running(url, pool, batch_size) as (runner, task):
                head = await append_all(store, appends[cut:]) or await store.head()
                await caught_up(runner, task, head)
            live = await read_tables(pool)
            assert live == await folded_in_memory(store)
            assert set((await checkpoint_positions(pool)).values()) == {head}

            await rebuild(pool, store, CODEC, PROJECTORS)
            assert await read_tables(pool) == live
            assert set((await checkpoint_positions(pool)).values()) == {head}
        finally:
            await pool.close()


async def test_a_restarted_runner_goes_on_from_its_checkpoints(
    fresh_url: str, fresh_pool: asyncpg.Pool
) -> None:
    store = EventStore(fresh_pool)
    appends = decisions(random_steps(400, seed=3))
    half = len(appends) // 2
    async with running(fresh_url, fresh_pool, batch_size=7) as (runner, task):
        await caught_up(runner, task, await append_all(store, appends[:half]))
    head = await append_all(store, appends[half:])
    async with running(fresh_url, fresh_pool, batch_size=7) as (runner, task):
        await caught_up(runner, task, head)
    assert await read_tables(fresh_pool) == await folded_in_memory(store)


async def test_two_runners_at_once_apply_each_event_once(fresh_url: str, fresh_pool: asyncpg.Pool) -> None:
    store = EventStore(fresh_pool)
    appends = decisions(random_steps(400, seed=4))
    async with (
        running(fresh_url, fresh_pool, batch_size=5) as (first, first_task),
        running(fresh_url, fresh_pool, batch_size=11) as (second, second_task),
    ):
        head = await append_all(store, appends)
        await caught_up(first, first_task, head)
        await caught_up(second, second_task, head)
    assert await read_tables(fresh_pool) == await folded_in_memory(store)


async def test_rebuilding_one_projection_while_the_runner_runs(
    fresh_url: str, fresh_pool: asyncpg.Pool
) -> None:
    store = EventStore(fresh_pool)
    appends = decisions(random_steps(600, seed=5))
    third = len(appends) // 3
    await append_all(store, appends[:third])
    async with running(fresh_url, fresh_pool, batch_size=3) as (runner, task):
        writer = asyncio.create_task(append_all(store, appends[third:]))
        report = await rebuild(fresh_pool, store, CODEC, PROJECTORS, ["agents"], chunk=50)
        head = await writer
        await caught_up(runner, task, head)
    assert [rebuilt.name for rebuilt in report.projections] == ["agents"]
    assert await read_tables(fresh_pool) == await folded_in_memory(store)
    indexes = await fresh_pool.fetch("SELECT indexname FROM pg_indexes WHERE tablename = 'agents' ORDER BY 1")
    assert [record["indexname"] for record in indexes] == ["agents_orchestrator_agent_id_idx", "agents_pkey"]


async def test_an_unreadable_event_stops_every_projection_at_its_position(
    fresh_url: str, fresh_pool: asyncpg.Pool
) -> None:
    store = EventStore(fresh_pool)
    before = await append_all(store, decisions(random_steps(60, seed=6)))
    bogus = NewEvent(uuid4(), uuid4(), 1, "NoSuchEvent.v1", b"{}", b"{}")
    [bad] = await store.append([bogus])
    await append_all(store, decisions(random_steps(10, seed=7)))
    async with running(fresh_url, fresh_pool) as (_, task):
        with pytest.raises(ProjectionStopped, match=f"stopped at position {bad}") as stopped:
            await asyncio.wait_for(task, 30)
    assert "NoSuchEvent.v1" in stopped.value.reason
    assert await read_tables(fresh_pool) == await folded_in_memory(store, up_to=before)
    async with fresh_pool.acquire() as conn:
        marks = await checkpoints.read(conn)
    assert {mark.position for mark in marks.values()} == {before}
    assert {mark.stopped_at for mark in marks.values()} == {bad}
    assert all("NoSuchEvent.v1" in (mark.error or "") for mark in marks.values())


async def test_a_fold_that_cannot_apply_stops_only_its_projection(
    fresh_url: str, fresh_pool: asyncpg.Pool
) -> None:
    store = EventStore(fresh_pool)
    head = await append_all(store, decisions(random_steps(30, seed=8)))
    orphan = Agent.create(uuid4(), "orphan", "sonnet", "/work")
    orphan.command(uuid4(), "go", "go", "user")
    events = list(orphan.collect_events())[1:]  # its AgentCreated never reached the store
    [first, *_] = await store.append([CODEC.encode(event) for event in events])
    async with running(fresh_url, fresh_pool) as (runner, task):
        await caught_up(runner, task, first + len(events) - 1)
        assert set(runner.stopped) == {"agents"}
        assert "agents has no row" in runner.stopped["agents"].reason
    positions = await checkpoint_positions(fresh_pool)
    assert positions.pop("agents") < first + len(events) - 1
    assert set(positions.values()) == {first + len(events) - 1}
    assert head < first


async def test_lost_connections_mid_batch_are_retried_without_double_applying(
    fresh_url: str, fresh_pool: asyncpg.Pool
) -> None:
    store = EventStore(fresh_pool)
    appends = decisions(random_steps(500, seed=13))
    name = f"o3s-proj-{uuid4().hex[:8]}"
    victim = await create_pool(fresh_url, min_size=1, max_size=2, server_settings={"application_name": name})
    kills = 0
    try:
        async with running(fresh_url, victim, batch_size=4) as (runner, task):
            writer = asyncio.create_task(append_all(store, appends))
            while not writer.done():
                kills += await fresh_pool.fetchval(
                    "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = $1 AND state <> 'idle') AS killed",
                    name,
                )
                await asyncio.sleep(0.02)
            await caught_up(runner, task, await writer)
    finally:
        await victim.close()
    assert kills > 0, "no connection was caught working"
    assert not runner.stopped
    assert await read_tables(fresh_pool) == await folded_in_memory(store)
