"""UnitOfWork: loads aggregates (through a per-process cache caught up from the store), collects their
new events and appends them all in one atomic batch, each stream at its expected version."""

from __future__ import annotations

import copy
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from app.eventstore.store import EventStore
from domain.agent import Agent
from domain.codec import EventCodec
from domain.metadata import Metadata

A = TypeVar("A", bound=Aggregate)


@dataclass(frozen=True)
class CommandDefaults:
    """Configured values a command may leave out."""

    worker_model: str = "sonnet"


class AggregateCache:
    """The latest known state of recently used aggregates; a load copies one and reads only newer events.

    Safe across processes: the store stays the truth, a copy is always caught up before it is used.
    """

    def __init__(self, capacity: int = 1024) -> None:
        self._capacity = capacity
        self._aggregates: OrderedDict[UUID, Aggregate] = OrderedDict()

    def get(self, aggregate_id: UUID) -> Aggregate | None:
        cached = self._aggregates.get(aggregate_id)
        if cached is None:
            return None
        self._aggregates.move_to_end(aggregate_id)
        return copy.deepcopy(cached)

    def put(self, aggregate: Aggregate) -> None:
        self._aggregates[aggregate.id] = aggregate
        self._aggregates.move_to_end(aggregate.id)
        while len(self._aggregates) > self._capacity:
            self._aggregates.popitem(last=False)


class UnitOfWork:
    def __init__(
        self,
        store: EventStore,
        codec: EventCodec,
        cache: AggregateCache,
        metadata: Metadata,
        defaults: CommandDefaults,
    ) -> None:
        self.metadata = metadata
        self.defaults = defaults
        self._store = store
        self._codec = codec
        self._cache = cache
        self._tracked: list[Aggregate] = []

    async def load(self, kind: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate as of its stream's last event, or None if no `kind` has this id."""
        aggregate: Any = self._cache.get(aggregate_id)
        after = aggregate.version if aggregate is not None else 0
        for recorded in await self._store.read_stream(aggregate_id, after_version=after):
            aggregate = self._codec.decode(recorded).mutate(aggregate)
        if not isinstance(aggregate, kind):
            return None
        self._tracked.append(aggregate)
        return aggregate

    def add(self, aggregate: Aggregate) -> None:
        """Track a new aggregate; its events go first, so nothing refers to it before it exists."""
        self._tracked.insert(0, aggregate)

    async def commit(self) -> list[int]:
        """Append every tracked aggregate's new events at once; ConcurrencyError if a stream moved."""
        pending = [(aggregate, list(aggregate.pending_events)) for aggregate in self._tracked]
        batch = [
            self._codec.encode(event, self.metadata.in_session(_session_of(aggregate)))
            for aggregate, events in pending
            for event in events
        ]
        positions = await self._store.append(batch)
        for aggregate, _ in pending:
            aggregate.collect_events()
            self._cache.put(aggregate)
        return positions


def _session_of(aggregate: Aggregate) -> UUID:
    """The session an aggregate's events belong to, for their metadata."""
    return aggregate.session_id if isinstance(aggregate, Agent) else aggregate.id
