"""The tailer: follows the store from a position and hands each run of new events on as one FrameBatch."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable

from app.stream.framing import StoredFraming
from app.stream.hub import FrameBatch
from domain.records import RecordedEvent

Follow = Callable[[int], AsyncIterator[RecordedEvent]]
Sink = Callable[[FrameBatch], Awaitable[None]]

_END = object()


async def rebatch(
    records: AsyncIterator[RecordedEvent], max_batch: int
) -> AsyncIterator[list[RecordedEvent]]:
    """Groups whatever has arrived by the time the consumer looks: one event when idle, big runs under load,
    so fan-out costs per run rather than per event."""
    queue: asyncio.Queue[object] = asyncio.Queue(maxsize=max_batch * 4)

    async def pump() -> None:
        try:
            async for recorded in records:
                await queue.put(recorded)
        except Exception as error:  # handed to the consumer, which raises it
            await queue.put(error)
        else:
            await queue.put(_END)

    pumping = asyncio.create_task(pump(), name="o3s-tailer-pump")
    try:
        while True:
            batch: list[RecordedEvent] = []
            item: object = await queue.get()
            while isinstance(item, RecordedEvent):
                batch.append(item)
                if len(batch) >= max_batch or queue.empty():
                    item = None
                    break
                item = queue.get_nowait()
            if batch:
                yield batch
            if item is _END:
                return
            if isinstance(item, Exception):
                raise item
    finally:
        pumping.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pumping


async def tail(
    follow: Follow, framing: StoredFraming, after: int, sink: Sink, *, max_batch: int = 1_000
) -> None:
    """Runs until cancelled (or the follow ends); each batch continues exactly where the previous stopped."""
    async for records in rebatch(follow(after), max_batch):
        batch = framing.batch(after, records)
        await sink(batch)
        after = batch.through
