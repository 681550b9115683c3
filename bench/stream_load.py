"""Load for the stream benchmark: a steady writer noting when it appended each event, and a bulk fill."""

from __future__ import annotations

import asyncio
import time
from uuid import uuid4

from app.eventstore.store import EventStore
from domain.codec import EventCodec
from domain.metadata import Actor, Metadata
from domain.registry import EVENT_TYPES
from domain.session import OrchestratorSession
from domain.session_activity import record_system_log

CODEC = EventCodec(EVENT_TYPES)


class SessionLog:
    """One session stream of system-log lines (~330-byte frames), appended in batches."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.session = OrchestratorSession.start("/bench", "sonnet")
        self.metadata = Metadata.first(uuid4(), Actor.SYSTEM).in_session(self.session.id)
        self.lines = 0

    async def append(self, count: int) -> list[int]:
        for _ in range(count):
            self.lines += 1
            record_system_log(self.session, uuid4(), "INFO", f"bench line {self.lines}", {"n": self.lines})
        return await self.store.append(
            [CODEC.encode(e, self.metadata) for e in self.session.collect_events()]
        )


def events_for(rate: float, seconds: float, tick: float) -> tuple[int, int]:
    """(events per append, appends): the schedule `write_at_rate` follows."""
    per_tick = max(1, round(rate * tick))
    return per_tick, max(1, round(seconds * rate / per_tick))


async def write_at_rate(
    store: EventStore, rate: float, seconds: float, tick: float, sent: memoryview[float], base: int
) -> dict[str, float]:
    """Appends `rate` events/s in appends every `tick` s, on an absolute schedule (late ticks catch up);
    `sent[position - base - 1]` gets the monotonic time just before the append that stored it."""
    log = SessionLog(store)
    await log.append(0)  # the session's start, not measured
    per_tick, ticks = events_for(rate, seconds, tick)
    started = time.monotonic()
    late = 0
    for number in range(ticks):
        delay = started + number * per_tick / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            late += 1
        appended_at = time.monotonic()
        for position in await log.append(per_tick):
            sent[position - base - 1] = appended_at
    elapsed = time.monotonic() - started
    return {
        "events": per_tick * ticks,
        "events_per_append": per_tick,
        "achieved_rate": round(per_tick * ticks / elapsed, 1),
        "late_appends": late,
    }


async def fill(store: EventStore, events: int, batch: int = 1_000) -> None:
    log = SessionLog(store)
    for start in range(0, events, batch):
        await log.append(min(batch, events - start))
