"""Keeps every projector current: follows the store and applies events in batches, exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

import asyncpg

from domain.codec import EventCodec
from domain.records import RecordedEvent
from projections import checkpoints
from projections.batch import Target, apply_batch
from projections.connection import CONNECTION_LOST
from projections.decoding import decode_batch
from projections.folding import Decoded, ProjectionStopped
from projections.projector import Projector

if TYPE_CHECKING:
    from projections.connection import Connection

Follow = Callable[[int], AsyncGenerator[RecordedEvent, None]]
"""`follow(position)`: the stored events after `position`, then the new ones as they are appended."""

logger = logging.getLogger("o3s.projections")
T = TypeVar("T")

_END = object()
_MIN_BACKOFF = 0.05
_MAX_BACKOFF = 2.0


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
        start = await self._retrying("reading the checkpoints", self._start)
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

    async def _read(self, events: AsyncGenerator[RecordedEvent, None], queue: asyncio.Queue[object]) -> None:
        """Feeds the queue from the follow iterator (closed when this task is cancelled)."""
        try:
            async with contextlib.aclosing(events):
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
        # A lost connection rolls the whole transaction back: the same batch is then applied again, once.
        stops = await self._retrying(f"the batch up to {end}", lambda: self._commit(decoded, end, failure))
        for stop in stops:
            logger.error("%s", stop)
            self.stopped[stop.name] = stop
        self._targets = [target for target in self._targets if target.name not in self.stopped]
        await self._advance_to(end)
        if not self._targets:
            raise stops[0] if stops else RuntimeError("no projector to run")

    async def _start(self) -> int:
        """Where to follow from: the lowest checkpoint (each projector skips what it already has)."""
        names = [target.name for target in self._targets]
        async with self._connection() as conn:
            await checkpoints.ensure(conn, names)
            return min(checkpoint.position for checkpoint in (await checkpoints.read(conn, names)).values())

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[Connection]:
        """A pooled connection that is closed, not handed back for reuse, when it was lost under us."""
        async with self._pool.acquire() as conn:
            try:
                yield conn
            except CONNECTION_LOST:
                conn.terminate()
                raise

    async def _retrying(self, what: str, attempt: Callable[[], Awaitable[T]]) -> T:
        delay = _MIN_BACKOFF
        while True:
            try:
                return await attempt()
            except CONNECTION_LOST as error:
                logger.warning("projections: %s failed (%s); retrying in %.2fs", what, error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, _MAX_BACKOFF)

    async def _commit(
        self, decoded: Sequence[Decoded], end: int, failure: ProjectionStopped | None
    ) -> list[ProjectionStopped]:
        """One transaction: lock the checkpoints, write the rows, move the checkpoints, record stops."""
        async with self._connection() as conn, conn.transaction():
            names = [target.name for target in self._targets]
            positions = await checkpoints.lock(conn, names)
            applied = await apply_batch(conn, self._targets, decoded, end, positions)
            await checkpoints.advance(conn, applied.positions)
            stops = list(applied.stopped)
            if failure is not None:
                stopped_names = {stop.name for stop in stops}
                stops += [
                    ProjectionStopped(name, failure.position, failure.reason)
                    for name in names
                    if name not in stopped_names
                ]
            for stop in stops:
                await checkpoints.record_stop(conn, stop)
        return stops

    async def _advance_to(self, position: int) -> None:
        async with self._progress:
            self.position = max(self.position, position)
            self._progress.notify_all()
