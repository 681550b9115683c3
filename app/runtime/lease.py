"""One runtime process owns the agent CLIs: a PostgreSQL advisory lock held on a dedicated connection.

Processes that do not get it stand by and retry. The holder checks its connection now and then: when the
connection (and so the lock) is gone, it is told to stop, since another process may take over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, TypeAlias

import asyncpg

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    Connection: TypeAlias = PoolConnectionProxy[asyncpg.Record]

log = logging.getLogger(__name__)

RUNTIME_LOCK_KEY = 7303987002
"""Next to the store's append lock (7303987001); any other user of advisory locks must pick another key."""


@contextlib.asynccontextmanager
async def runtime_lease(
    pool: asyncpg.Pool, *, retry_seconds: float = 2.0, check_seconds: float = 5.0
) -> AsyncIterator[asyncio.Event]:
    """Waits until this process holds the lock; yields an event that is set if the lock is lost."""
    connection = await pool.acquire()
    lost = asyncio.Event()
    watchdog: asyncio.Task[None] | None = None
    held = False
    try:
        held = await _try_lock(connection)
        while not held:
            # Standing by: the holder may be another worker process or host; nothing here can wake us.
            await asyncio.sleep(retry_seconds)
            held = await _try_lock(connection)
        log.info("this process now runs the agents (runtime lock %d)", RUNTIME_LOCK_KEY)
        watchdog = asyncio.create_task(_watch(connection, lost, check_seconds), name="runtime-lease")
        yield lost
    finally:
        if watchdog is not None:
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog
        await _give_back(pool, connection, held and not lost.is_set())


async def _try_lock(connection: Connection) -> bool:
    held: bool = await connection.fetchval("SELECT pg_try_advisory_lock($1)", RUNTIME_LOCK_KEY)
    return held


async def _watch(connection: Connection, lost: asyncio.Event, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            await connection.fetchval("SELECT 1", timeout=every)
        except Exception as error:
            log.warning("the runtime lock's connection is gone (%r): stopping the agents", error)
            lost.set()
            return


async def _give_back(pool: asyncpg.Pool, connection: Connection, unlock: bool) -> None:
    """Pooled connections keep session state: the lock is released explicitly, or the connection dropped."""
    try:
        if unlock:
            await connection.execute("SELECT pg_advisory_unlock($1)", RUNTIME_LOCK_KEY)
        await pool.release(connection)
    except Exception:
        connection.terminate()
        with contextlib.suppress(Exception):
            await pool.release(connection)
