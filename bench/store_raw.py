"""Baseline: raw asyncpg COPY into a table shaped like `events`, the ceiling for any recorder."""

from __future__ import annotations

import time

import asyncpg

from domain.records import NewEvent

COPY_TABLE = """CREATE TABLE copy_events (
    position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream_id uuid NOT NULL,
    version integer NOT NULL,
    type text NOT NULL,
    data json NOT NULL,
    metadata json NOT NULL,
    event_id uuid NOT NULL UNIQUE,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_id, version)
)"""
COLUMNS = ["event_id", "stream_id", "version", "type", "data", "metadata"]


async def copy_appends(connection: asyncpg.Connection, batches: list[list[NewEvent]], lock: bool) -> float:
    """Events per second, one transaction per batch; `lock` takes the same advisory lock as append_events."""
    rows = [[(e.event_id, e.stream_id, e.version, e.type, e.data, e.metadata) for e in b] for b in batches]
    started = time.perf_counter()
    for batch in rows:
        async with connection.transaction():
            if lock:
                await connection.execute("SELECT pg_advisory_xact_lock(7303987001)")
            await connection.copy_records_to_table("copy_events", records=batch, columns=COLUMNS)
    return sum(len(batch) for batch in rows) / (time.perf_counter() - started)
