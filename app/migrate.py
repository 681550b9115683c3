"""Upgrades the database to the newest migration; safe when several processes start at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from app.eventstore.urls import sqlalchemy_url

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "migrations" / "alembic.ini"

# Alembic keeps its `op`/`context` proxies in module globals: one upgrade at a time per process.
_in_process = asyncio.Lock()


def alembic_config() -> Config:
    return Config(str(ALEMBIC_INI))


async def migrate(database_url: str, revision: str = "head") -> None:
    """Runs the alembic upgrade on our event loop; migrations/env.py holds the advisory lock around it."""
    config = alembic_config()

    def upgrade(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    engine = create_async_engine(sqlalchemy_url(database_url), poolclass=NullPool)
    try:
        async with _in_process, engine.connect() as connection:
            await connection.run_sync(upgrade)
    finally:
        await engine.dispose()
