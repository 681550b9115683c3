"""Fixtures for projection and query tests: each test gets its own database (a copy of a migrated
template), because the shared test database holds other tests' events that no projector understands."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from app.eventstore.pool import create_pool
from app.eventstore.store import EventStore
from tests.database import create_database, drop_database, with_database


@pytest.fixture(scope="session")
async def template_name(server_url: str) -> AsyncIterator[str]:
    from app.migrate import migrate

    name = f"o3s_tpl_{uuid.uuid4().hex[:12]}"
    await migrate(await create_database(server_url, name))
    yield name
    await drop_database(server_url, name)


@contextlib.asynccontextmanager
async def fresh_database(server_url: str, template_name: str) -> AsyncIterator[str]:
    """A new, migrated, empty database; dropped on exit."""
    name = f"o3s_rs_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(server_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    finally:
        await conn.close()
    try:
        yield with_database(server_url, name)
    finally:
        await drop_database(server_url, name)


@pytest.fixture
async def fresh_url(server_url: str, template_name: str) -> AsyncIterator[str]:
    async with fresh_database(server_url, template_name) as url:
        yield url


@pytest.fixture
async def fresh_pool(fresh_url: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(fresh_url, min_size=1, max_size=4)
    yield pool
    await pool.close()


@pytest.fixture
def fresh_store(fresh_pool: asyncpg.Pool) -> EventStore:
    return EventStore(fresh_pool)
