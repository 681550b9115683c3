"""follow(): catch-up then live, exactly once and in order, under concurrent writers and lost connections."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncGenerator, AsyncIterator
from uuid import UUID, uuid4

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.eventstore.errors import ConcurrencyError
from app.eventstore.follow import follow
from app.eventstore.listener import AppendListener
from app.eventstore.pool import create_pool
from app.eventstore.store import EventStore
from domain.records import NewEvent, RecordedEvent


@pytest.fixture
async def listener(database_url: str) -> AsyncIterator[AppendListener]:
    async with AppendListener(database_url) as live:
        yield live


def event(stream_id: UUID, version: int) -> NewEvent:
    return NewEvent(uuid4(), stream_id, version, "Thing.v1", b"{}", b"{}")


async def collect(events: AsyncGenerator[RecordedEvent, None], expected: set[UUID]) -> list[int]:
    """Positions of everything the follower yields until it has yielded all `expected` event ids."""
    positions: list[int] = []
    missing = set(expected)

    async def run() -> None:
        async for recorded in events:
            positions.append(recorded.position)
            missing.discard(recorded.event_id)
            if not missing:
                return

    async with contextlib.aclosing(events):
        await asyncio.wait_for(run(), 30)
    return positions


class Writers:
    """Concurrent writers on a few shared streams: conflicts happen, and leave gaps in the positions."""

    def __init__(self, store: EventStore, streams: int = 4) -> None:
        self.store = store
        self.versions = {uuid4(): 0 for _ in range(streams)}
        self.appended: set[UUID] = set()

    async def write(
        self, batch_sizes: list[int], pause: float = 0.0, rng: random.Random | None = None
    ) -> None:
        rng = rng or random.Random(0)
        for size in batch_sizes:
            stream = rng.choice(list(self.versions))
            while True:
                base = self.versions[stream]
                batch = [event(stream, base + n) for n in range(1, size + 1)]
                try:
                    await self.store.append(batch)
                except ConcurrencyError as conflict:
                    self.versions[stream] = max(self.versions[stream], conflict.actual_version)
                    continue
                self.versions[stream] = max(self.versions[stream], base + size)
                self.appended.update(e.event_id for e in batch)
                break
            await asyncio.sleep(pause)


async def read_until(
    events: AsyncGenerator[RecordedEvent, None], marker: UUID, seen: list[RecordedEvent]
) -> None:
    async with contextlib.aclosing(events):
        async for recorded in events:
            seen.append(recorded)
            if recorded.event_id == marker:
                return


def assert_exactly_once_in_order(positions: list[int]) -> None:
    assert positions == sorted(set(positions)), "a position came twice or out of order"


async def test_catches_up_in_pages_then_goes_live(pool: asyncpg.Pool, listener: AppendListener) -> None:
    store = EventStore(pool)
    start = await store.head()
    stream = uuid4()
    stored = [event(stream, v) for v in range(1, 2501)]
    for chunk in range(0, len(stored), 500):
        await store.append(stored[chunk : chunk + 500])
    live = [event(stream, v) for v in range(2501, 2511)]

    async def append_live() -> None:
        for one in live:
            await asyncio.sleep(0.005)
            await store.append([one])

    writer = asyncio.create_task(append_live())
    positions = await collect(follow(store, listener, start), {e.event_id for e in stored + live})
    await writer
    assert len(positions) == 2510
    assert_exactly_once_in_order(positions)


async def test_starts_after_the_given_position(pool: asyncpg.Pool, listener: AppendListener) -> None:
    store = EventStore(pool)
    stream = uuid4()
    positions = await store.append([event(stream, v) for v in range(1, 6)])
    events = follow(store, listener, positions[2])
    async with contextlib.aclosing(events):
        assert [await anext(events) for _ in range(2)] == await store.read_all(positions[2], 2)


async def test_eight_writers_and_a_follower_miss_nothing(
    pool: asyncpg.Pool, listener: AppendListener
) -> None:
    rng = random.Random(8)
    plans = [[rng.randint(1, 6) for _ in range(40)] for _ in range(8)]
    await writers_and_one_follower(EventStore(pool), listener, plans, page_size=50)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    plans=st.lists(st.lists(st.integers(1, 5), min_size=1, max_size=8), min_size=2, max_size=8),
    page_size=st.integers(1, 7),
)
async def test_any_interleaving_is_seen_exactly_once(
    pool: asyncpg.Pool, listener: AppendListener, plans: list[list[int]], page_size: int
) -> None:
    await writers_and_one_follower(EventStore(pool), listener, plans, page_size, streams=2)


async def writers_and_one_follower(
    store: EventStore, listener: AppendListener, plans: list[list[int]], page_size: int, streams: int = 4
) -> None:
    """The follower runs while the writers write; a marker appended after them all ends the reading."""
    writers = Writers(store, streams)
    marker = event(uuid4(), 1)
    seen: list[RecordedEvent] = []
    events = follow(store, listener, await store.head(), page_size=page_size)
    reader = asyncio.create_task(read_until(events, marker.event_id, seen))
    try:
        await asyncio.gather(*(writers.write(plan, rng=random.Random(n)) for n, plan in enumerate(plans)))
        await store.append([marker])
        await asyncio.wait_for(reader, 30)
    finally:
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)
    missed = writers.appended - {e.event_id for e in seen}
    assert not missed, f"the follower skipped {len(missed)} events"
    assert_exactly_once_in_order([e.position for e in seen])


async def test_survives_its_connections_being_terminated(database_url: str, pool: asyncpg.Pool) -> None:
    name = f"o3s-follow-{uuid4().hex[:8]}"
    reads = await create_pool(
        database_url, min_size=1, max_size=2, server_settings={"application_name": name}
    )
    store = EventStore(pool)
    writers = Writers(store)
    marker = event(uuid4(), 1)
    seen: list[RecordedEvent] = []
    try:
        async with AppendListener(database_url, application_name=name) as listener:
            events = follow(EventStore(reads), listener, await store.head(), page_size=20)
            reader = asyncio.create_task(read_until(events, marker.event_id, seen))
            try:
                writing = asyncio.create_task(writers.write([2] * 150, pause=0.004))
                for _ in range(3):
                    await asyncio.sleep(0.15)
                    killed = await pool.fetchval(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE application_name = $1",
                        name,
                    )
                    assert killed >= 1
                await writing
                await store.append([marker])
                await asyncio.wait_for(reader, 30)
            finally:
                reader.cancel()
                await asyncio.gather(reader, return_exceptions=True)
            assert listener.reconnects >= 1
    finally:
        await reads.close()
    missed = writers.appended - {e.event_id for e in seen}
    assert not missed, f"the follower lost {len(missed)} events"
    assert_exactly_once_in_order([e.position for e in seen])


async def test_cancelling_a_follower_leaves_the_listener_running(
    pool: asyncpg.Pool, listener: AppendListener
) -> None:
    store = EventStore(pool)

    async def drain() -> None:
        async for _ in follow(store, listener, await store.head()):
            pass

    task = asyncio.create_task(drain())
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    [position] = await store.append([event(uuid4(), 1)])
    assert await asyncio.wait_for(listener.wait_beyond(position - 1), 5) >= position
    assert listener.live
