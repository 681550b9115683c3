"""The elected tailer's job with Redis: follow the store and publish every batch, plus idle ticks."""

from __future__ import annotations

import asyncio
from typing import Protocol

from app.stream.framing import StoredFraming
from app.stream.hub import FrameBatch
from app.stream.redis_bus import RedisPublisher
from app.stream.tailer import Follow, tail


class HasHead(Protocol):
    async def head(self) -> int: ...


async def publish_store(
    publisher: RedisPublisher, framing: StoredFraming, follow: Follow, store: HasHead, *, tick_every: float
) -> None:
    """Resumes after the hot tail's newest batch, so workers see one unbroken chain across tailers.

    A hot tail beyond the store's head belongs to another database (a reused prefix): start at the head.
    """
    last = await publisher.last_through()
    head = await store.head()
    through = head if last is None or last > head else last

    async def publish(batch: FrameBatch) -> None:
        nonlocal through
        await publisher.publish(batch)
        through = batch.through

    async def tick() -> None:
        while True:
            await asyncio.sleep(tick_every)
            await publisher.tick(through)

    async with asyncio.TaskGroup() as group:
        group.create_task(tick())
        group.create_task(tail(follow, framing, through, publish))
