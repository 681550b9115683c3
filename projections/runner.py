"""Keeps every projector current: follows the store and applies events in batches, exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence

import asyncpg

from domain.codec import EventCodec
from domain.records import RecordedEvent
from projections import checkpoints
from projections.batch import Target, apply_batch
from projections.decoding import decode_batch
from projections.folding import ProjectionStopped
from projections.projector import Projector

Follow = Callable[[int], AsyncIterator[RecordedEvent]]
"""`follow(position)`: the stored events after `position`, then the new ones as they are appended."""

logger = logging.getLogger("o3s.projections")

_END = object()


class ProjectionRunner:
    """Follows the store and keeps the given projectors current, one transaction per batch.

    Each batch locks the projectors' checkpoint rows, writes their rows and moves their checkpoints in
    one transaction: a crash anywhere replays the batch from the old checkpoints, and a second runner
    (or a rebuild swapping tables in) waits and then finds the events already applied.
    """

    def __init__(
        self,
        pool: asyncpg.Pool,
        codec: EventCodec,
        projectors: Sequence[Projector],
        *,
        batch_size: int = 1000,
    ) -> None:
        self._pool = pool
        self._codec = codec
        self._targets = [Target(projector) for projector in sorted(projectors, key=lambda p: p.name)]
        self._batch_size = batch_size
        self.stopped: dict[str, ProjectionStopped] = {}
        self.position = 0
        self._progress = asyncio.Condition()

    async def run(self, follow: Follow) -> None:
        """Runs until cancelled; raises ProjectionStopped once every projector has stopped."""
        async with self._pool.acquire() as conn:
            await checkpoints.ensure(conn, (target.name for target in self._targets))
            start = min(
                (await checkpoints.read(conn, [t.name for t in self._targets])).values(),
                key=lambda checkpoint: checkpoint.position,
            ).position
        await self._advance_to(start)
        queue: asyncio.Queue[object] = asyncio.Queue(maxsize=self._batch_size * 4)
        reader = asyncio.create_task(self._read(follow(start), queue))
        try:
            while True:
                batch = await self._next_batch(queue)
                await self._apply(batch)
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader

    async def wait_for(self, position: int) -> None:
        """Returns once every running projector reflects `position` (or all have stopped)."""
        async with self._progress:
            await self._progress.wait_for(lambda: self.position >= position or not self._targets)

    async def _read(self, events: AsyncIterator[RecordedEvent], queue: asyncio.Queue[object]) -> None:
        try:
            async for recorded in events:
                await queue.put(recorded)
        except Exception as error:
            await queue.put(error)
        else:
            await queue.put(_END)

    async def _next_batch(self, queue: asyncio.Queue[object]) -> list[RecordedEvent]:
        """Waits for one event, then takes whatever else is already there: big batches while catching
        up, single events when live."""
        items = [await queue.get()]
        while len(items) < self._batch_size and not queue.empty():
            items.append(queue.get_nowait())
        batch: list[RecordedEvent] = []
        for item in items:
            if isinstance(item, RecordedEvent):
                batch.append(item)
                continue
            if batch:
                await self._apply(batch)
            if isinstance(item, Exception):
                raise item
            raise RuntimeError("the store's follow iterator ended")
        return batch

    async def _apply(self, batch: Sequence[RecordedEvent]) -> None:
        decoded, failure = decode_batch(self._codec, batch)
        end = batch[-1].position if failure is None else failure.position - 1
        stops: list[ProjectionStopped] = []
        async with self._pool.acquire() as conn, conn.transaction():
            names = [target.name for target in self._targets]
            positions = await checkpoints.lock(conn, names)
            applied = await apply_batch(conn, self._targets, decoded, end, positions)
            await checkpoints.advance(conn, applied.positions)
            stops = applied.stopped
            if failure is not None:
                stopped_names = {stop.name for stop in stops}
                stops += [
                    ProjectionStopped(name, failure.position, failure.reason)
                    for name in names
                    if name not in stopped_names
                ]
            for stop in stops:
                await checkpoints.record_stop(conn, stop)
        for stop in stops:
            logger.error("%s", stop)
            self.stopped[stop.name] = stop
        self._targets = [target for target in self._targets if target.name not in self.stopped]
        await self._advance_to(end)
        if not self._targets:
            raise stops[0] if stops else RuntimeError("no projector to run")

    async def _advance_to(self, position: int) -> None:
        async with self._progress:
            self.position = max(self.position, position)
            self._progress.notify_all()
