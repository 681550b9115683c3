"""Baseline: eventsourcing's stock PostgreSQL recorder (`Application.save`, binary psycopg), synchronous."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, unquote, urlsplit
from uuid import UUID, uuid4

import asyncpg
from eventsourcing.application import Application
from eventsourcing.postgres import PostgresApplicationRecorder

from app.eventstore.urls import asyncpg_dsn
from bench.store_model import Note, run_command


class StockNotes(Application[UUID]):
    """The same Note aggregate, saved the way eventsourcing 9.5.6 does it out of the box."""


def stock_table(app: StockNotes) -> str:
    recorder = app.recorder
    assert isinstance(recorder, PostgresApplicationRecorder)
    return recorder.events_table_name


def stock_env(database_url: str) -> dict[str, str]:
    """POSTGRES_* settings for a postgresql:// URL (a `?host=/dir` unix socket included)."""
    parts = urlsplit(database_url)
    socket_dir = parse_qs(parts.query).get("host", [None])[0]
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/"),
        "POSTGRES_HOST": socket_dir or parts.hostname or "localhost",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_POOL_SIZE": "8",
    }


def open_stock(database_url: str) -> StockNotes:
    return StockNotes(env=stock_env(database_url))


def _writer(app: StockNotes, per_command: int, seconds: float) -> int:
    note = Note(title="stock")
    app.save(note)
    written = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        run_command(note, per_command)
        app.save(note)
        written += per_command
    return written


def stock_appends(app: StockNotes, per_command: int, writers: int, seconds: float) -> float:
    """Events per second through Application.save, `writers` threads each saving its own aggregate."""
    started = time.perf_counter()
    with ThreadPoolExecutor(writers) as pool:
        counts = list(pool.map(lambda _: _writer(app, per_command, seconds), range(writers)))
    return sum(counts) / (time.perf_counter() - started)


def stock_save_latencies(app: StockNotes, samples: int) -> list[float]:
    note = Note(title="latency")
    app.save(note)
    latencies = []
    for _ in range(samples):
        started = time.perf_counter()
        run_command(note, 1)
        app.save(note)
        latencies.append(time.perf_counter() - started)
    return latencies


def stock_read_all(app: StockNotes, decode: bool, page: int = 1000) -> tuple[int, float]:
    """(events, seconds) for paging through the whole notification log, optionally mapped to events."""
    recorder = app.recorder
    mapper = app.mapper
    count = 0
    last = 0
    started = time.perf_counter()
    while True:
        notifications = recorder.select_notifications(last, page, inclusive_of_start=False)
        if not notifications:
            break
        if decode:
            for notification in notifications:
                mapper.to_domain_event(notification)
        count += len(notifications)
        last = notifications[-1].id
    return count, time.perf_counter() - started


async def stock_count(database_url: str, app: StockNotes) -> int:
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        count: int = await connection.fetchval(f"SELECT count(*) FROM {stock_table(app)}")
    finally:
        await connection.close()
    return count


async def fill_stock(database_url: str, app: StockNotes, events: int) -> None:
    """COPYs `events` copies of one genuine stock-mapped Note event (1000 per originator), for reading."""
    note = Note(title="fill")
    run_command(note, 1)
    sample = app.mapper.to_stored_event(note.collect_events()[-1])
    rows = [
        (originator, version, sample.topic, sample.state)
        for start in range(0, events, 1000)
        for originator in (uuid4(),)
        for version in range(1, min(1000, events - start) + 1)
    ]
    connection = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        await connection.copy_records_to_table(
            stock_table(app),
            records=rows,
            columns=["originator_id", "originator_version", "topic", "state"],
        )
    finally:
        await connection.close()
