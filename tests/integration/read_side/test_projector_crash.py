"""SIGKILL the projection runner in the middle of a batch: the batch leaves no trace, and a restart
finishes with exactly the tables a rebuild produces."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from uuid import uuid4

import asyncpg

from app.eventstore.store import EventStore
from projections.catalog import PROJECTORS
from projections.rebuild import rebuild
from tests.integration.read_side.tables import (
    checkpoint_positions,
    decisions,
    folded_in_memory,
    random_steps,
    read_tables,
)
from tests.integration.read_side.test_projection_runner import caught_up, running
from tests.session_workload import CODEC

# A write transaction of the runner is open: it has an xid and has not committed.
MID_BATCH = """SELECT count(*) FROM pg_stat_activity
WHERE application_name = $1 AND backend_xid IS NOT NULL AND state IN ('active', 'idle in transaction')"""


async def test_sigkill_mid_batch_then_restart_equals_a_rebuild(
    fresh_url: str, fresh_pool: asyncpg.Pool
) -> None:
    store = EventStore(fresh_pool)
    events = [event for batch in decisions(random_steps(3000, seed=9)) for event in batch]
    for start in range(0, len(events), 500):
        head = (await store.append(events[start : start + 500]))[-1]
    name = f"o3s-crash-{uuid4().hex[:8]}"
    victim = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.integration.read_side.projector_process", fresh_url, "25", name
    )
    try:
        await _until_mid_batch(fresh_pool, name, head, victim)
        os.kill(victim.pid, signal.SIGKILL)
        assert await victim.wait() == -signal.SIGKILL
    finally:
        if victim.returncode is None:
            victim.kill()
            await victim.wait()
    await _until_gone(fresh_pool, name)

    positions = set((await checkpoint_positions(fresh_pool)).values())
    assert len(positions) == 1, "one transaction moves every checkpoint"
    [reached] = positions
    assert 0 < reached < head
    assert await read_tables(fresh_pool) == await folded_in_memory(store, up_to=reached)

    async with running(fresh_url, fresh_pool, batch_size=25) as (runner, task):
        await caught_up(runner, task, head)
    after_restart = await read_tables(fresh_pool)
    await rebuild(fresh_pool, store, CODEC, PROJECTORS)
    assert await read_tables(fresh_pool) == after_restart
    assert after_restart == await folded_in_memory(store)


async def _until_mid_batch(
    pool: asyncpg.Pool, name: str, head: int, victim: asyncio.subprocess.Process
) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert victim.returncode is None, "the runner exited by itself"
        reached = min((await checkpoint_positions(pool)).values(), default=0)
        assert reached < head, "the runner finished before it could be killed mid-batch"
        if reached > 0 and await pool.fetchval(MID_BATCH, name):
            return
        await asyncio.sleep(0.001)
    raise AssertionError("never caught the runner inside a batch")


async def _until_gone(pool: asyncpg.Pool, name: str) -> None:
    for _ in range(500):
        if not await pool.fetchval("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", name):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the killed runner's sessions never ended")
