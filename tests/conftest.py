"""Shared fixtures: each test run gets its own fresh PostgreSQL database, migrated once."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest

from tests.database import admin_url, create_database, drop_database


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """The PostgreSQL server tests run against: TEST_DATABASE_URL, else local 5432, else embedded."""
    with admin_url(os.environ.get("TEST_DATABASE_URL")) as url:
        yield url


@pytest.fixture(scope="session")
async def database_url(server_url: str) -> AsyncIterator[str]:
    from app.migrate import migrate

    name = f"o3s_test_{uuid.uuid4().hex[:12]}"
    url = await create_database(server_url, name)
    await migrate(url)
    yield url
    await drop_database(server_url, name)


@pytest.fixture(scope="session")
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    from app.eventstore.pool import create_pool

    pool = await create_pool(database_url)
    yield pool
    await pool.close()
