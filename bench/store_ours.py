"""Workloads on our store: domain appends, the recorder alone, reads and follow latency."""

from __future__ import annotations

import asyncio
import time
from uuid import UUID

from app.eventstore.follow import follow
from app.eventstore.listener import AppendListener
from app.eventstore.store import EventStore
from bench.store_model import CODEC, Note, run_command
from domain.records import NewEvent


async def _save(store: EventStore, note: Note) -> list[NewEvent]:
    batch = [CODEC.encode(event) for event in note.collect_events()]
    await store.append(batch)
    return batch


async def domain_appends(store: EventStore, per_command: int, writers: int, seconds: float) -> float:
    """Events per second from aggregate to codec to store, `writers` concurrent tasks."""

    async def writer() -> int:
        note = Note(title="o3s")
        await _save(store, note)
        written = 0
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            run_command(note, per_command)
            await _save(store, note)
            written += per_command
        return written

    started = time.perf_counter()
    counts = await asyncio.gather(*(writer() for _ in range(writers)))
    return sum(counts) / (time.perf_counter() - started)


async def recorder_appends(store: EventStore, batches: list[list[NewEvent]]) -> float:
    """Events per second for ready-made batches: the store (recorder) alone."""
    started = time.perf_counter()
    for batch in batches:
        await store.append(batch)
    return sum(len(batch) for batch in batches) / (time.perf_counter() - started)


async def save_latencies(store: EventStore, samples: int) -> list[float]:
    note = Note(title="latency")
    await _save(store, note)
    latencies = []
    for _ in range(samples):
        started = time.perf_counter()
        run_command(note, 1)
        await _save(store, note)
        latencies.append(time.perf_counter() - started)
    return latencies


async def read_all(store: EventStore, decode: bool, page: int = 1000) -> tuple[int, float]:
    """(events, seconds) to page through the whole store, optionally decoding every event."""
    count = 0
    last = 0
    started = time.perf_counter()
    while events := await store.read_all(last, page):
        if decode:
            for event in events:
                CODEC.decode(event)
        count += len(events)
        last = events[-1].position
    return count, time.perf_counter() - started


async def follow_latencies(store: EventStore, url: str, samples: int) -> tuple[list[float], list[float]]:
    """Seconds from (append called, append returned) until follow() yields that event, while idle."""
    received: dict[UUID, float] = {}
    arrived = asyncio.Event()
    async with AppendListener(url) as listener:

        async def read(start: int) -> None:
            async for event in follow(store, listener, start):
                received[event.event_id] = time.perf_counter()
                arrived.set()

        reader = asyncio.create_task(read(await store.head()))
        note = Note(title="follow")
        from_call, from_return = [], []
        try:
            for _ in range(samples + 1):
                await asyncio.sleep(0.002)
                run_command(note, 1)
                batch = [CODEC.encode(event) for event in note.collect_events()]
                called = time.perf_counter()
                await store.append(batch)
                returned = time.perf_counter()
                while batch[-1].event_id not in received:
                    arrived.clear()
                    await arrived.wait()
                from_call.append(received[batch[-1].event_id] - called)
                from_return.append(max(0.0, received[batch[-1].event_id] - returned))
        finally:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)
    # The first one also paid for the follower's start-up.
    return from_call[1:], from_return[1:]
