"""Finding a PostgreSQL server for tests and making throwaway databases on it."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg

LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def _reachable(url: str) -> bool:
    async def probe() -> bool:
        try:
            conn = await asyncpg.connect(url, timeout=2)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            return False
        await conn.close()
        return True

    return asyncio.run(probe())


@contextlib.contextmanager
def admin_url(explicit: str | None) -> Iterator[str]:
    if explicit:
        yield explicit
        return
    if _reachable(LOCAL_SERVER):
        yield LOCAL_SERVER
        return
    from app.embedded_pg import embedded_postgres

    with tempfile.TemporaryDirectory(prefix="o3s-test-pg-") as data, embedded_postgres(data) as url:
        yield url


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def create_database(server_url: str, name: str) -> str:
    conn = await asyncpg.connect(server_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_database(server_url, name)


async def drop_database(server_url: str, name: str) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
