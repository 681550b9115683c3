"""Helpers for command-side integration tests: an app on the test database with a started session."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import uvicorn
from litestar import Litestar
from litestar.testing import AsyncTestClient

from app.bootstrap import Services
from app.commands.runner import Commands
from app.commands.session_handlers import start_session
from app.eventstore.store import EventStore
from app.http.app import create_app
from app.settings import Settings
from domain.codec import EventCodec
from domain.commands import StartSession, new_id
from domain.metadata import Actor, Metadata
from domain.records import RecordedEvent
from domain.registry import EVENT_TYPES

CODEC = EventCodec(EVENT_TYPES)


def as_system() -> Metadata:
    return Metadata.first(new_id(), Actor.SYSTEM)


async def new_session(commands: Commands, working_dir: str = "/work") -> UUID:
    command = StartSession(working_dir=working_dir, model="sonnet")
    receipt = await commands.run(start_session, command, as_system())
    return receipt.session_id


async def events_after(store: EventStore, position: int) -> list[RecordedEvent]:
    return await store.read_all(position, 10_000)


def types_of(recorded: list[RecordedEvent]) -> list[str]:
    return [event.type for event in recorded]


def decoded(recorded: RecordedEvent) -> Any:
    return CODEC.decode(recorded)


@dataclass
class CommandApp:
    """The app under test (it owns its pool, on the test client's own event loop) and, on the test's
    loop, a store and Commands to arrange and inspect; `session_id` is the app's current session."""

    client: AsyncTestClient[Litestar]
    store: EventStore
    commands: Commands
    session_id: UUID


@contextlib.asynccontextmanager
async def app_client(database_url: str) -> AsyncIterator[AsyncTestClient[Litestar]]:
    settings = Settings(database_url=database_url, cwd=Path("/work"))
    async with AsyncTestClient(create_app(settings, database_url, run_agents=False)) as client:
        yield client


async def with_new_session(client: AsyncTestClient[Litestar], pool: asyncpg.Pool) -> CommandApp:
    store = EventStore(pool)
    commands = Commands(store)
    session_id = await new_session(commands)
    client.app.state["session_id"] = session_id
    return CommandApp(client=client, store=store, commands=commands, session_id=session_id)


@contextlib.asynccontextmanager
async def serve_workers(database_url: str, pool: asyncpg.Pool, count: int = 2) -> AsyncIterator[list[Worker]]:
    """`count` apps on uvicorn in this event loop, like web workers: same database, each its own cache.

    (The Litestar test client runs the app on one portal and sends one request at a time, so truly
    concurrent requests need real servers.)
    """
    settings = Settings(database_url=database_url, cwd=Path("/work"))
    workers: list[Worker] = []
    try:
        for _ in range(count):
            store = EventStore(pool)
            services = Services(settings, database_url, pool, store, CODEC, Commands(store), session_id=None)
            app = create_app(settings, database_url, services=services)
            server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
            serving = asyncio.create_task(server.serve())
            while not server.started:
                if serving.done():
                    serving.result()
                await asyncio.sleep(0.01)
            port = server.servers[0].sockets[0].getsockname()[1]
            workers.append(Worker(app, f"http://127.0.0.1:{port}", server, serving))
        yield workers
    finally:
        for worker in workers:
            worker.server.should_exit = True
            await worker.serving


@dataclass
class Worker:
    app: Litestar
    url: str
    server: uvicorn.Server
    serving: asyncio.Task[None]
