"""Projection benchmark: rebuild and catch-up rates over a realistic history, beside reading it, as JSON.

Usage: .venv/bin/python -m bench.projections [--quick] [--events N]   (as a module: run as a script, the
file name would hide the `projections` package it measures)
Server: BENCH_DATABASE_URL, else 127.0.0.1:5432; a throwaway database is created and dropped.
Baselines, measured in the same run on the same events: reading them all (raw rows), reading and
decoding them, and folding them in memory (decode + every fold, no database writes).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sys
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg

from app.eventstore.follow import follow
from app.eventstore.listener import AppendListener
from app.eventstore.pool import create_pool
from app.eventstore.store import EventStore
from app.eventstore.urls import asyncpg_dsn, with_database
from app.migrate import migrate
from app.projections import rebuild_projections
from bench.timing import machine, ratio
from domain.records import RecordedEvent
from projections.catalog import PROJECTORS
from projections.rebuild import rebuild
from projections.runner import ProjectionRunner
from projections.state import fold_all
from tests.session_workload import CODEC, SessionWorkload

LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
TARGET_REBUILD_EVENTS_PER_S = 20_000
PAGE = 5000


def progress(message: str) -> None:
    print(f"[bench/projections] {message}", file=sys.stderr, flush=True)


@contextlib.asynccontextmanager
async def throwaway_database(server_url: str) -> AsyncIterator[str]:
    name = f"o3s_bench_proj_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(asyncpg_dsn(server_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield with_database(server_url, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def fill(store: EventStore, events: int, seed: int = 1) -> dict[str, int]:
    """Sessions of random decisions (a new session every 20k events) until `events` are stored."""
    rng = random.Random(seed)
    stored, sessions, pending = 0, 0, []
    while stored < events:
        workload = SessionWorkload()
        sessions += 1
        pending += workload.first()
        session_events = 0
        while session_events < 20_000 and stored + len(pending) < events:
            batch = workload.decide(rng.randrange(1000), rng.randrange(1000))
            pending += batch
            session_events += len(batch)
            if len(pending) >= 1000:
                await store.append(pending)
                stored, pending = stored + len(pending), []
        if pending:
            await store.append(pending)
            stored, pending = stored + len(pending), []
    return {"events": stored, "sessions": sessions}


async def read_everything(store: EventStore) -> list[RecordedEvent]:
    events: list[RecordedEvent] = []
    while page := await store.read_all(events[-1].position if events else 0, PAGE):
        events += page
    return events


async def baselines(store: EventStore) -> dict[str, Any]:
    progress("baseline: read all")
    started = time.perf_counter()
    events = await read_everything(store)
    read_s = time.perf_counter() - started
    progress("baseline: decode all")
    started = time.perf_counter()
    for recorded in events:
        CODEC.decode(recorded)
    decode_s = time.perf_counter() - started
    progress("baseline: fold all in memory")
    started = time.perf_counter()
    fold_all(events, CODEC, PROJECTORS)
    fold_s = time.perf_counter() - started
    count = len(events)
    return {
        "read_all_rows_per_s": round(count / read_s),
        "read_and_decode_events_per_s": round(count / (read_s + decode_s)),
        "in_memory_fold_events_per_s": round(count / (read_s + fold_s)),
    }


async def rebuild_rate(pool: asyncpg.Pool, store: EventStore, names: list[str] | None) -> dict[str, Any]:
    progress(f"rebuild {names or 'all'}")
    report = await rebuild(pool, store, CODEC, PROJECTORS, names)
    return {
        "events_per_s": round(report.events / report.seconds),
        "seconds": round(report.seconds, 2),
        "rows": {rebuilt.name: sum(rebuilt.rows.values()) for rebuilt in report.projections},
    }


async def cli_rebuild_rate(url: str) -> dict[str, Any]:
    """`o3s projections rebuild`: the same rebuild in a one-shot process, with the cyclic GC paused."""
    progress("rebuild all, as the CLI runs it")
    report = await rebuild_projections(url, None)
    return {
        "events_per_s": round(report["events"] / report["seconds"]),
        "seconds": round(report["seconds"], 2),
    }


async def catch_up_rate(url: str, pool: asyncpg.Pool, store: EventStore, head: int) -> dict[str, Any]:
    """The live runner starting from position 0 (checkpoints reset, tables emptied)."""
    progress("runner catch-up from 0")
    async with pool.acquire() as conn:
        for projector in PROJECTORS:
            for table in projector.tables:
                await conn.execute(f"TRUNCATE {table.name}")
        await conn.execute("UPDATE projection_checkpoints SET position = 0")
    runner = ProjectionRunner(pool, CODEC, PROJECTORS, batch_size=1000)
    async with AppendListener(url) as listener:
        started = time.perf_counter()
        task = asyncio.create_task(
            runner.run(lambda position: follow(store, listener, position, page_size=PAGE))
        )
        await runner.wait_for(head)
        seconds = time.perf_counter() - started
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    return {"events_per_s": round(head / seconds), "seconds": round(seconds, 2), "batch_size": 1000}


async def run(events: int, server_url: str) -> dict[str, Any]:
    async with throwaway_database(server_url) as url:
        await migrate(url)
        pool = await create_pool(url, min_size=2, max_size=4)
        try:
            store = EventStore(pool)
            progress(f"appending {events} events")
            history = await fill(store, events)
            head = await store.head()
            base = await baselines(store)
            full = await rebuild_rate(pool, store, None)
            cli = await cli_rebuild_rate(url)
            agents_only = await rebuild_rate(pool, store, ["agents"])
            catch_up = await catch_up_rate(url, pool, store, head)
            base_rate = base["read_and_decode_events_per_s"]
            return {
                "postgres": await pool.fetchval("SHOW server_version"),
                "history": history,
                "baselines": base,
                "rebuild_all": {**full, "ratio_vs_read_and_decode": ratio(full["events_per_s"], base_rate)},
                "rebuild_all_cli": {**cli, "ratio_vs_read_and_decode": ratio(cli["events_per_s"], base_rate)},
                "rebuild_agents_only": agents_only,
                "runner_catch_up": {
                    **catch_up,
                    "ratio_vs_read_and_decode": ratio(catch_up["events_per_s"], base_rate),
                },
                "targets": {
                    "rebuild_events_per_s": TARGET_REBUILD_EVENTS_PER_S,
                    "rebuild_met": full["events_per_s"] >= TARGET_REBUILD_EVENTS_PER_S,
                    "rebuild_cli_met": cli["events_per_s"] >= TARGET_REBUILD_EVENTS_PER_S,
                },
            }
        finally:
            await pool.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run over 5k events; figures are noise")
    parser.add_argument("--events", type=int, default=100_000, help="history size (default 100000)")
    args = parser.parse_args()
    events = 5000 if args.quick else args.events
    started = time.perf_counter()
    results = asyncio.run(run(events, os.environ.get("BENCH_DATABASE_URL") or LOCAL_SERVER))
    report = {
        "benchmark": "projections",
        "quick": args.quick,
        "machine": machine(),
        **results,
        "runtime_s": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
