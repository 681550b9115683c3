"""One tailer per deployment: whoever holds a PostgreSQL advisory lock publishes; the others stand by."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import asyncpg
from asyncpg.pool import PoolConnectionProxy

log = logging.getLogger(__name__)

# The two-key form lives in its own key space: it cannot meet the store's or migrations' bigint locks.
_LOCK_CLASS = 0x6F3353  # "o3S"
_TRY_LOCK = "SELECT pg_try_advisory_lock($1, hashtext($2))"
_UNLOCK = "SELECT pg_advisory_unlock($1, hashtext($2))"


async def lead_when_elected(
    pool: asyncpg.Pool,
    name: str,
    lead: Callable[[], Awaitable[None]],
    *,
    retry_every: float = 1.0,
    check_every: float = 2.0,
) -> None:
    """Runs `lead()` while this process holds the lock `name`; retries forever, so when the leader's
    process or connection dies, a standby takes over within `retry_every`."""
    while True:
        try:
            async with pool.acquire() as connection:
                if await connection.fetchval(_TRY_LOCK, _LOCK_CLASS, name):
                    log.info("elected to tail the store for %s", name)
                    try:
                        await _lead_while_holding(connection, lead, check_every)
                    finally:
                        # Pooled connections keep session state, so the lock must be given back.
                        with contextlib.suppress(Exception):
                            await asyncio.shield(connection.fetchval(_UNLOCK, _LOCK_CLASS, name))
        except Exception as error:
            # Typically Redis or the database going away; the next election retries, without a traceback
            # every second while it stays away.
            log.warning("the stream tailer stopped (%r); standing for election again", error)
        await asyncio.sleep(retry_every)


async def _lead_while_holding(
    connection: PoolConnectionProxy[asyncpg.Record], lead: Callable[[], Awaitable[None]], check_every: float
) -> None:
    leading = asyncio.ensure_future(lead())
    try:
        while not leading.done():
            await asyncio.wait({leading}, timeout=check_every)
            if not leading.done():
                # A lost connection has lost the lock too: stop publishing before another takes over.
                await connection.fetchval("SELECT 1", timeout=check_every)
        leading.result()
    finally:
        leading.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await leading
