"""How the runtime changes an aggregate: queued decisions run in order on a cached copy, one append a batch.

Agents report many small facts (blocks, hooks) while the HTTP API may append commands to the same stream.
Decisions queue up; whoever holds the lock decides all queued ones on the cached aggregate and appends their
events in one round trip (group commit). When another writer got there first (ConcurrencyError), the
aggregate is reloaded and the same decisions are taken again on the newer state.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar, cast
from uuid import UUID

from eventsourcing.domain import Aggregate

from app.eventstore.errors import ConcurrencyError, StoreUnavailable
from app.eventstore.store import EventStore
from domain.codec import EventCodec
from domain.errors import DomainError
from domain.metadata import Metadata
from domain.records import NewEvent

log = logging.getLogger(__name__)

A = TypeVar("A", bound=Aggregate)
B = TypeVar("B", bound=Aggregate)
Decision = Callable[[A], None]

MAX_CONFLICT_RETRIES = 8
UNAVAILABLE_RETRY_DELAYS = (0.05, 0.2, 0.5, 1.0, 2.0)


class StreamNotFound(LookupError):
    """No event was ever stored under this stream id."""


async def load_aggregate(store: EventStore, codec: EventCodec, stream_id: UUID) -> Aggregate | None:
    aggregate: Aggregate | None = None
    for recorded in await store.read_stream(stream_id):
        aggregate = cast(Aggregate | None, codec.decode(recorded).mutate(aggregate))
    return aggregate


def _new_future() -> asyncio.Future[list[int]]:
    return asyncio.get_running_loop().create_future()


@dataclass
class _Item(Generic[A]):
    decision: Decision[A]
    metadata: Metadata
    done: asyncio.Future[list[int]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class AggregateWriter(Generic[A]):
    def __init__(self, store: EventStore, codec: EventCodec, stream_id: UUID) -> None:
        self.stream_id = stream_id
        self._store = store
        self._codec = codec
        self._aggregate: A | None = None
        self._pending: list[_Item[A]] = []
        self._lock = asyncio.Lock()
        self._background: set[asyncio.Task[None]] = set()

    async def decide(self, decision: Decision[A], metadata: Metadata) -> list[int]:
        """Runs the decision and stores its events; returns their positions or raises its DomainError."""
        item = _Item(decision, metadata)
        self._pending.append(item)
        await self._flush()
        return await item.done

    def submit(self, decision: Decision[A], metadata: Metadata) -> None:
        """Like `decide` without waiting: order among submitted decisions is kept; failures are logged."""
        item = _Item(decision, metadata)
        self._pending.append(item)
        item.done.add_done_callback(self._log_failure)
        task = asyncio.get_running_loop().create_task(self._flush())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def current(self) -> A:
        """The aggregate as stored now (caught up with other writers' appends)."""
        async with self._lock:
            return await self._caught_up()

    async def drain(self) -> None:
        """Waits until every submitted decision is stored (or has failed)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    async def decide_together(
        self, other: AggregateWriter[B], decision: Callable[[A, B], None], metadata: Metadata
    ) -> list[int]:
        """A decision over two aggregates (an agent and its session): both sets of events in one append.

        Locks are always taken in the order (self, other), agent before session, so two such decisions
        cannot wait on each other.
        """
        async with self._lock, other._lock:
            await self._flush_locked()
            await other._flush_locked()
            for _ in range(MAX_CONFLICT_RETRIES):
                first, second = await self._caught_up(), await other._caught_up()
                try:
                    decision(first, second)
                except Exception:
                    # The first aggregate may have changed before the second refused: reload both.
                    self._aggregate = other._aggregate = None
                    raise
                events = [self._codec.encode(event, metadata) for event in first.collect_events()]
                events += [self._codec.encode(event, metadata) for event in second.collect_events()]
                try:
                    return await self._store.append(events)
                except ConcurrencyError:
                    self._aggregate = other._aggregate = None
                except BaseException:
                    self._aggregate = other._aggregate = None
                    raise
            raise ConcurrencyError(self.stream_id, -1, -1)

    async def _flush(self) -> None:
        async with self._lock:
            await self._flush_locked()

    async def _flush_locked(self) -> None:
        batch, self._pending = self._pending, []
        if batch:
            await self._store_batch(batch)

    async def _store_batch(self, batch: list[_Item[A]]) -> None:
        unavailable = 0
        for _ in range(MAX_CONFLICT_RETRIES):
            aggregate = await self._caught_up()
            outcomes = [self._decide_one(aggregate, item) for item in batch]
            new_events = [event for outcome in outcomes if isinstance(outcome, list) for event in outcome]
            try:
                positions = await self._store.append(new_events)
            except ConcurrencyError:
                self._aggregate = None
                continue
            except StoreUnavailable as error:
                self._aggregate = None
                if unavailable >= len(UNAVAILABLE_RETRY_DELAYS):
                    _fail_all(batch, error)
                    return
                await asyncio.sleep(UNAVAILABLE_RETRY_DELAYS[unavailable])
                unavailable += 1
                continue
            except BaseException as error:
                self._aggregate = None
                _fail_all(batch, error)
                raise
            _resolve(batch, outcomes, positions)
            return
        _fail_all(batch, ConcurrencyError(self.stream_id, -1, -1))

    def _decide_one(self, aggregate: A, item: _Item[A]) -> list[NewEvent] | Exception:
        try:
            item.decision(aggregate)
        except DomainError as error:
            # Guard clauses run before any event is triggered, so a refused decision left no trace.
            aggregate.collect_events()
            return error
        except Exception as error:
            # A bug, not a refusal: the cached state may be half-changed, so reload it next time.
            log.exception("runtime decision on %s raised", self.stream_id)
            aggregate.collect_events()
            self._aggregate = None
            return error
        metadata = item.metadata
        return [self._codec.encode(event, metadata) for event in aggregate.collect_events()]

    async def _caught_up(self) -> A:
        if self._aggregate is None:
            loaded = await load_aggregate(self._store, self._codec, self.stream_id)
            if loaded is None:
                raise StreamNotFound(f"no aggregate with id {self.stream_id}")
            self._aggregate = cast(A, loaded)
            return self._aggregate
        newer = await self._store.read_stream(self.stream_id, self._aggregate.version)
        for recorded in newer:
            self._aggregate = cast(A, self._codec.decode(recorded).mutate(self._aggregate))
        return self._aggregate

    @staticmethod
    def _log_failure(done: asyncio.Future[list[int]]) -> None:
        if done.cancelled():
            return
        error = done.exception()
        if isinstance(error, DomainError):
            log.info("runtime decision refused: %s", error)
        elif error is not None:
            log.error("runtime decision not stored: %r", error)


def _resolve(batch: list[_Item[A]], outcomes: list[list[NewEvent] | Exception], positions: list[int]) -> None:
    offset = 0
    for item, outcome in zip(batch, outcomes, strict=True):
        if isinstance(outcome, Exception):
            item.done.set_exception(outcome)
        else:
            item.done.set_result(positions[offset : offset + len(outcome)])
            offset += len(outcome)


def _fail_all(batch: list[_Item[A]], error: BaseException) -> None:
    for item in batch:
        if not item.done.done():
            item.done.set_exception(error)
