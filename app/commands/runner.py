"""Commands: the one entry point that runs a handler in a fresh unit of work, retrying on conflicts."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from app.commands.unit_of_work import AggregateCache, CommandDefaults, UnitOfWork
from app.eventstore.errors import ConcurrencyError
from app.eventstore.store import EventStore
from domain.codec import EventCodec
from domain.metadata import Metadata
from domain.registry import EVENT_TYPES

C = TypeVar("C")
R = TypeVar("R")
Handler = Callable[[UnitOfWork, C], Awaitable[R]]

log = logging.getLogger(__name__)

_BASE_BACKOFF = 0.002
_MAX_BACKOFF = 0.1


class Commands:
    """Built once per process (it owns the aggregate cache) and shared by endpoints, tools and runtime."""

    def __init__(
        self,
        store: EventStore,
        *,
        codec: EventCodec | None = None,
        defaults: CommandDefaults | None = None,
        max_attempts: int = 10,
        cache: AggregateCache | None = None,
    ) -> None:
        self.store = store
        self._codec = codec or EventCodec(EVENT_TYPES)
        self._defaults = defaults or CommandDefaults()
        self._max_attempts = max_attempts
        self._cache = cache or AggregateCache()

    async def run(self, handler: Handler[C, R], command: C, metadata: Metadata) -> R:
        """Load, decide, append; on a version conflict start over from the store, up to `max_attempts`.

        A rejected command (DomainError) appends nothing; a conflict on every attempt re-raises
        ConcurrencyError.
        """
        for attempt in range(1, self._max_attempts + 1):
            unit = UnitOfWork(self.store, self._codec, self._cache, metadata, self._defaults)
            try:
                return await handler(unit, command)
            except ConcurrencyError as conflict:
                if attempt == self._max_attempts:
                    raise
                log.debug("%s conflicted (%s); attempt %d", type(command).__name__, conflict, attempt + 1)
                # Exponential backoff with full jitter: writers racing for one stream spread out
                # instead of colliding again in lockstep (each round, one of them wins).
                await asyncio.sleep(random.uniform(0, min(_MAX_BACKOFF, _BASE_BACKOFF * 2**attempt)))
        raise AssertionError("unreachable: the last attempt returns or raises")
