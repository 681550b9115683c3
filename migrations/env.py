"""Alembic environment: plain-SQL revisions run over SQLAlchemy's async engine (asyncpg), no ORM models."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from app.eventstore.urls import sqlalchemy_url

# Session-level lock: processes starting at once migrate one after another; the later ones find head.
MIGRATION_LOCK = 7_303_987_000


def run_migrations(connection: Connection) -> None:
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
    connection.commit()
    try:
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
        connection.commit()


async def run_online(url: str) -> None:
    engine = create_async_engine(sqlalchemy_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_migrations)
    finally:
        await engine.dispose()


def configured_url() -> str:
    url = context.config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("set DATABASE_URL (or sqlalchemy.url) to migrate")
    return url


shared_connection = context.config.attributes.get("connection")
if shared_connection is not None:
    run_migrations(shared_connection)
elif context.is_offline_mode():
    context.configure(url=sqlalchemy_url(configured_url()), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(run_online(configured_url()))
