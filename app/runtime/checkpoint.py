"""Where the runtime is in the store: its own row among the projection checkpoints ("runtime").

Saved before the runtime reacts to an event, so after a crash it never reacts twice; what it was doing
at that moment is marked failed on restart (see recovery.py). Events it ignores are saved lazily.
"""

from __future__ import annotations

import time

import asyncpg

from projections import checkpoints

NAME = "runtime"


class RuntimeCheckpoint:
    def __init__(self, pool: asyncpg.Pool, *, lazy_seconds: float = 1.0) -> None:
        self._pool = pool
        self._lazy_seconds = lazy_seconds
        self.position = 0
        self._saved = 0
        self._saved_at = 0.0

    async def load(self) -> int:
        async with self._pool.acquire() as connection:
            await checkpoints.ensure(connection, [NAME])
            found = await checkpoints.read(connection, [NAME])
        self.position = self._saved = found[NAME].position
        self._saved_at = time.monotonic()
        return self.position

    async def save(self, position: int) -> None:
        """Stores the position now (before reacting to the event there)."""
        self.position = max(self.position, position)
        async with self._pool.acquire() as connection:
            await checkpoints.advance(connection, {NAME: self.position})
        self._saved = self.position
        self._saved_at = time.monotonic()

    async def passed(self, position: int) -> None:
        """An event needing no reaction: remembered, stored at most every `lazy_seconds`."""
        self.position = max(self.position, position)
        if self.position > self._saved and time.monotonic() - self._saved_at >= self._lazy_seconds:
            await self.save(self.position)

    async def flush(self) -> None:
        if self.position > self._saved:
            await self.save(self.position)
