"""The composition root: builds the store, bus, projections and runtime from settings, once per process."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

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


async def prepare_session(
    settings: Settings, database_url: str, session_id: UUID | None, working_dir: Path | None
) -> UUID:
    """Migrates, then starts or resumes the one orchestrator session every web worker will serve.

    Done once, before the workers start, so N workers never append N `SessionResumed` events.
    """
    from app.commands.runner import Commands
    from app.runtime.session_start import open_session

    await check_reachable(database_url)
    await migrate(database_url)
    pool = await create_pool(database_url, min_size=1, max_size=2)
    try:
        commands = Commands(EventStore(pool))
        return await open_session(commands, settings, session_id, working_dir)
    finally:
        await pool.close()


@contextlib.asynccontextmanager
async def open_services(settings: Settings, database_url: str) -> AsyncIterator[Services]:
    await check_reachable(database_url)
    await migrate(database_url)
    pool = await create_pool(database_url)
    try:
        yield Services(settings=settings, database_url=database_url, pool=pool, store=EventStore(pool))
    finally:
        await pool.close()
