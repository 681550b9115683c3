"""EventStore against real PostgreSQL: round trips, optimistic concurrency, idempotency, loud bad data."""

from __future__ import annotations

import uuid
from uuid import UUID, uuid4

import asyncpg
import pytest

from app.eventstore.errors import ConcurrencyError, EventIdConflict, StoreUnavailable
from app.eventstore.pool import create_pool
from app.eventstore.store import EventStore
from domain.codec import CorruptEvent, EventCodec, UnknownEventType
from domain.records import NewEvent
from tests.database import create_database, drop_database
from tests.unit.widget import WIDGET_EVENTS, Colour, Part, Widget

codec = EventCodec(WIDGET_EVENTS)


@pytest.fixture
def store(pool: asyncpg.Pool) -> EventStore:
    return EventStore(pool)


def new_events(stream_id: UUID, versions: range, type_name: str = "Thing.v1") -> list[NewEvent]:
    return [NewEvent(uuid4(), stream_id, v, type_name, b'{"n": %d}' % v, b"{}") for v in versions]


async def count_rows(pool: asyncpg.Pool, event_ids: list[UUID]) -> int:
    count: int = await pool.fetchval("SELECT count(*) FROM events WHERE event_id = ANY($1)", event_ids)
    return count


async def test_aggregate_round_trip_through_the_store(store: EventStore) -> None:
    widget = Widget(name="sprocket", colour=Colour.RED)
    widget.add_part(Part(label="cog", count=2))
    widget.rename("gear")
    history = list(widget.collect_events())
    positions = await store.append([codec.encode(event) for event in history])
    assert positions == sorted(positions)
    assert len(set(positions)) == 3

    recorded = await store.read_stream(widget.id)
    assert [event.position for event in recorded] == positions
    assert [codec.decode(event) for event in recorded] == history
    assert [event.version for event in await store.read_stream(widget.id, after_version=1)] == [2, 3]


async def test_recorded_at_is_the_stored_instant(store: EventStore, pool: asyncpg.Pool) -> None:
    [position] = await store.append(new_events(uuid4(), range(1, 2)))
    [recorded] = await store.read_all(position - 1, 1)
    stored = await pool.fetchval("SELECT recorded_at FROM events WHERE position = $1", position)
    assert recorded.recorded_at == stored
    assert recorded.recorded_at.utcoffset() is not None


async def test_read_all_pages_ascending_from_a_position(store: EventStore) -> None:
    before = await store.head()
    positions = await store.append(new_events(uuid4(), range(1, 6)))
    assert await store.head() == positions[-1]
    first = await store.read_all(before, 3)
    rest = await store.read_all(first[-1].position, 100)
    assert [event.position for event in first + rest] == positions
    assert await store.read_all(positions[-1], 10) == []


async def test_one_batch_may_span_streams(store: EventStore) -> None:
    a, b = uuid4(), uuid4()
    batch = [*new_events(a, range(1, 3)), *new_events(b, range(1, 2))]
    positions = await store.append(batch)
    assert [e.event_id for e in await store.read_all(positions[0] - 1, 3)] == [e.event_id for e in batch]


async def test_conflicting_version_raises_and_writes_nothing(store: EventStore, pool: asyncpg.Pool) -> None:
    stream, other = uuid4(), uuid4()
    await store.append(new_events(stream, range(1, 4)))
    stale = [*new_events(other, range(1, 3)), *new_events(stream, range(3, 5))]
    with pytest.raises(ConcurrencyError) as caught:
        await store.append(stale)
    error = caught.value
    assert (error.stream_id, error.expected_version, error.actual_version) == (stream, 2, 3)
    assert str(stream) in str(error)
    assert await count_rows(pool, [event.event_id for event in stale]) == 0
    assert await store.read_stream(other) == []


async def test_retried_append_stores_nothing_twice(store: EventStore, pool: asyncpg.Pool) -> None:
    batch = new_events(uuid4(), range(1, 4))
    first = await store.append(batch)
    head = await store.head()
    assert await store.append(batch) == first
    assert await store.head() == head
    assert await count_rows(pool, [event.event_id for event in batch]) == 3


async def test_partly_reused_event_ids_are_refused(store: EventStore) -> None:
    batch = new_events(uuid4(), range(1, 3))
    await store.append(batch[:1])
    with pytest.raises(EventIdConflict):
        await store.append(batch)
    with pytest.raises(EventIdConflict):
        await store.append([*new_events(uuid4(), range(1, 2)), batch[0]])


async def test_read_filtered_by_streams_and_types(store: EventStore) -> None:
    before = await store.head()
    a, b = uuid4(), uuid4()
    await store.append([*new_events(a, range(1, 3), "A.v1"), *new_events(b, range(1, 3), "B.v1")])
    by_stream = await store.read_filtered(before, 10, stream_ids=[b])
    assert [(e.stream_id, e.version) for e in by_stream] == [(b, 1), (b, 2)]
    by_type = await store.read_filtered(before, 10, types=["A.v1"])
    assert [(e.stream_id, e.version) for e in by_type] == [(a, 1), (a, 2)]
    assert await store.read_filtered(before, 10, stream_ids=[a], types=["B.v1"]) == []


async def test_unknown_type_in_the_store_is_reported_with_its_position(store: EventStore) -> None:
    [position] = await store.append(new_events(uuid4(), range(1, 2), "GadgetExploded.v1"))
    [recorded] = await store.read_all(position - 1, 1)
    with pytest.raises(UnknownEventType) as caught:
        codec.decode(recorded)
    assert (caught.value.type_name, caught.value.position) == ("GadgetExploded.v1", position)


async def test_corrupt_data_in_the_store_is_reported_with_its_position(store: EventStore) -> None:
    bad = NewEvent(uuid4(), uuid4(), 1, "WidgetRenamed.v2", b'{"name": 42}', b"{}")
    [position] = await store.append([bad])
    [recorded] = await store.read_all(position - 1, 1)
    with pytest.raises(CorruptEvent) as caught:
        codec.decode(recorded)
    assert (caught.value.type_name, caught.value.position) == ("WidgetRenamed.v2", position)


async def test_malformed_json_never_gets_in(store: EventStore) -> None:
    with pytest.raises(asyncpg.InvalidTextRepresentationError):
        await store.append([NewEvent(uuid4(), uuid4(), 1, "X.v1", b"{not json", b"{}")])


async def test_events_are_append_only(pool: asyncpg.Pool) -> None:
    for statement in ("UPDATE events SET type = 'x'", "DELETE FROM events", "TRUNCATE events"):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await pool.execute(statement)


async def test_stored_events_view_speaks_eventsourcing(store: EventStore, pool: asyncpg.Pool) -> None:
    [event] = new_events(uuid4(), range(1, 2))
    [position] = await store.append([event])
    row = await pool.fetchrow(
        "SELECT originator_id, originator_version, topic, state FROM stored_events"
        " WHERE notification_id = $1",
        position,
    )
    assert row is not None
    assert tuple(row) == (event.stream_id, 1, event.type, event.data)


async def test_lost_database_is_store_unavailable(server_url: str) -> None:
    name = f"o3s_test_gone_{uuid.uuid4().hex[:8]}"
    url = await create_database(server_url, name)
    pool = await create_pool(url, min_size=1, max_size=1)
    try:
        await drop_database(server_url, name)
        with pytest.raises(StoreUnavailable):
            await EventStore(pool).head()
    finally:
        pool.terminate()
