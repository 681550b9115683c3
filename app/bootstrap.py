"""The composition root: builds the store, bus, projections and runtime from settings, once per process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import asyncpg

from app.commands.runner import Commands
from app.commands.unit_of_work import CommandDefaults
from app.database import check_reachable
from app.eventstore.listener import AppendListener
from app.eventstore.pool import create_pool
from app.eventstore.store import EventStore
from app.migrate import migrate
from app.projections import keep_current, projection_runner
from app.runtime.runtime import Runtime, open_runtime
from app.settings import Settings
from app.stream.factory import open_hub
from app.stream.hub import Hub
from domain.codec import EventCodec
from domain.registry import EVENT_TYPES

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything a request handler or background task needs, built once and passed explicitly."""

    settings: Settings
    database_url: str
    pool: asyncpg.Pool
    store: EventStore
    codec: EventCodec
    commands: Commands
    session_id: UUID | None
    hub: Hub | None = None
    runtime: Runtime | None = None


async def prepare_session(
    settings: Settings, database_url: str, session_id: UUID | None, working_dir: Path | None
) -> UUID:
    """Migrates, then starts or resumes the one orchestrator session every web worker will serve.

    Done once, before the workers start, so N workers never append N `SessionResumed` events.
    """
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
async def open_services(
    settings: Settings, database_url: str, session_id: UUID | None = None, *, runtime: bool = True
) -> AsyncIterator[Services]:
    """The store and commands; the projection runner, the live-stream hub and (unless told not to) the
    agent runtime run in the background until exit. Several workers may each open these: the runtime
    and the Redis tailer elect one owner by advisory lock, and projectors serialise on their checkpoints.
    """
    await check_reachable(database_url)
    await migrate(database_url)
    async with contextlib.AsyncExitStack() as stack:
        pool = await create_pool(database_url)
        stack.push_async_callback(pool.close)
        store = EventStore(pool)
        codec = EventCodec(EVENT_TYPES)
        listener = await stack.enter_async_context(AppendListener(database_url))
        commands = Commands(store, codec=codec, defaults=CommandDefaults(worker_model=settings.worker_model))
        services = Services(settings, database_url, pool, store, codec, commands, session_id)

        projecting = asyncio.create_task(_project(pool, store, listener), name="o3s-projections")
        stack.push_async_callback(_cancel, projecting)
        services.hub = await stack.enter_async_context(open_hub(settings, pool, store, codec, listener))
        if runtime:
            services.runtime = await stack.enter_async_context(
                open_runtime(settings, pool, store, codec, services.hub, commands=commands, listener=listener)
            )
        yield services


async def _project(pool: asyncpg.Pool, store: EventStore, listener: AppendListener) -> None:
    try:
        await keep_current(projection_runner(pool), store, listener)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("the projections stopped; read tables no longer advance (see projection_checkpoints)")


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
