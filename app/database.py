"""Resolving which PostgreSQL to use and failing with one clear line when it cannot be reached."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import asyncpg

from app.settings import Settings


class DatabaseUnavailable(Exception):
    """The configured database cannot be used; the message is one line meant for a person."""


def redact(url: str) -> str:
    """The URL without its password, safe to print."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


@contextlib.contextmanager
def database_url(settings: Settings) -> Iterator[str]:
    """DATABASE_URL when set, else the embedded server under `<data_dir>/pg`, kept across restarts."""
    if settings.database_url:
        yield settings.database_url
        return
    from app.embedded_pg import embedded_postgres

    with embedded_postgres(settings.embedded_pg_dir) as url:
        yield url


async def check_reachable(url: str, connect_timeout: float = 5.0) -> None:
    if not url.startswith(("postgresql://", "postgres://")):
        raise DatabaseUnavailable(f"DATABASE_URL must start with postgresql://, got {redact(url)!r}")
    try:
        conn = await asyncpg.connect(url, timeout=connect_timeout)
    except (OSError, TimeoutError) as error:
        raise DatabaseUnavailable(f"cannot reach the database at {redact(url)}: {error}") from error
    except (asyncpg.PostgresError, asyncpg.InterfaceError, ValueError) as error:
        raise DatabaseUnavailable(f"the database at {redact(url)} refused us: {error}") from error
    await conn.close()
