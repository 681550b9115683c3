"""The composition root: builds the store, bus, projections and runtime from settings, once per process."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg

from app.database import check_reachable
from app.eventstore.pool import create_pool
from app.eventstore.store import EventStore
from app.migrate import migrate
from app.settings import Settings


@dataclass
class Services:
    """Everything a request handler or background task needs, built once and passed explicitly."""

    settings: Settings
    database_url: str
    pool: asyncpg.Pool
    store: EventStore


@contextlib.asynccontextmanager
async def open_services(settings: Settings, database_url: str) -> AsyncIterator[Services]:
    await check_reachable(database_url)
    await migrate(database_url)
    pool = await create_pool(database_url)
    try:
        yield Services(settings=settings, database_url=database_url, pool=pool, store=EventStore(pool))
    finally:
        await pool.close()
