"""Event store benchmark: our asyncpg store beside eventsourcing's stock recorder and raw COPY, as JSON.

Usage: .venv/bin/python bench/store.py [--quick]   (server: BENCH_DATABASE_URL, else 127.0.0.1:5432)
It creates two throwaway databases on that server and drops them at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from typing import Any

import asyncpg

from app.eventstore.pool import create_pool, use_raw_json
from app.eventstore.store import EventStore
from app.eventstore.urls import asyncpg_dsn, with_database
from app.migrate import migrate
from bench import store_ours as ours
from bench import store_stock as stock
from bench.store_model import encoded_batches
from bench.store_raw import COPY_TABLE, copy_appends
from bench.store_targets import targets
from bench.timing import machine, percentiles_ms, ratio

LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Scale:
    seconds: float  # per throughput figure
    batches_of_100: int
    batches_of_1000: int
    latency_samples: int
    read_events: int
    follow_samples: int


FULL = Scale(
    seconds=3.0,
    batches_of_100=300,
    batches_of_1000=60,
    latency_samples=2000,
    read_events=210_000,
    follow_samples=1000,
)
QUICK = Scale(
    seconds=0.25,
    batches_of_100=10,
    batches_of_1000=3,
    latency_samples=60,
    read_events=5_000,
    follow_samples=40,
)


def progress(message: str) -> None:
    print(f"[bench/store] {message}", file=sys.stderr, flush=True)


@contextlib.asynccontextmanager
async def throwaway_database(server_url: str, prefix: str) -> AsyncIterator[str]:
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(asyncpg_dsn(server_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield with_database(server_url, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def appends(store: EventStore, app: stock.StockNotes, scale: Scale) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for per_command in (1, 100):
        for writers in (1, 4):
            progress(f"appends: {per_command} per command, {writers} writers")
            mine = await ours.domain_appends(store, per_command, writers, scale.seconds)
            theirs = await asyncio.to_thread(stock.stock_appends, app, per_command, writers, scale.seconds)
            figures[f"{per_command}_per_command_{writers}_writers"] = {
                "o3s": round(mine),
                "stock": round(theirs),
                "ratio": ratio(mine, theirs),
            }
    return figures


async def recorder_alone(store: EventStore, connection: asyncpg.Connection, scale: Scale) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for per_call, batches in ((100, scale.batches_of_100), (1000, scale.batches_of_1000)):
        progress(f"recorder alone: {per_call} per call")
        mine = await ours.recorder_appends(store, encoded_batches(batches, per_call))
        locked = await copy_appends(connection, encoded_batches(batches, per_call), lock=True)
        unlocked = await copy_appends(connection, encoded_batches(batches, per_call), lock=False)
        figures[f"{per_call}_per_call"] = {
            "o3s": round(mine),
            "raw_copy_locked": round(locked),
            "raw_copy_unlocked": round(unlocked),
            "ratio_vs_copy_locked": ratio(mine, locked),
            "ratio_vs_copy_unlocked": ratio(mine, unlocked),
        }
    return figures


async def fill_to_same_size(
    store: EventStore, connection: asyncpg.Connection, stock_url: str, app: stock.StockNotes, at_least: int
) -> int:
    """Tops both stores up to the same number of events (at least `at_least`) for the read figures."""
    mine = await connection.fetchval("SELECT count(*) FROM events")
    theirs = await stock.stock_count(stock_url, app)
    total = max(at_least, mine, theirs)
    full, rest = divmod(total - mine, 1000)
    for batch in encoded_batches(full, 1000) + encoded_batches(1 if rest else 0, rest):
        await store.append(batch)
    await stock.fill_stock(stock_url, app, total - theirs)
    return int(total)


async def reads(store: EventStore, app: stock.StockNotes) -> dict[str, Any]:
    progress("read-all")
    figures: dict[str, Any] = {}
    for label, decode in (("raw_rows_per_s", False), ("decoded_events_per_s", True)):
        mine, mine_seconds = await ours.read_all(store, decode)
        theirs, theirs_seconds = await asyncio.to_thread(stock.stock_read_all, app, decode)
        figures[label] = {
            "o3s": round(mine / mine_seconds),
            "stock": round(theirs / theirs_seconds),
            "ratio": ratio(mine / mine_seconds, theirs / theirs_seconds),
        }
        figures["events"] = {"o3s": mine, "stock": theirs}
    return figures


async def run(scale: Scale, server_url: str) -> dict[str, Any]:
    async with (
        throwaway_database(server_url, "o3s_bench") as url,
        throwaway_database(server_url, "o3s_bench_stock") as stock_url,
    ):
        await migrate(url)
        pool = await create_pool(url, min_size=5, max_size=5)
        connection = await asyncpg.connect(asyncpg_dsn(url))
        await use_raw_json(connection)
        app = await asyncio.to_thread(stock.open_stock, stock_url)
        try:
            await connection.execute(COPY_TABLE)
            store = EventStore(pool)
            results: dict[str, Any] = {"postgres": await connection.fetchval("SHOW server_version")}
            results["appends_events_per_s"] = await appends(store, app, scale)
            results["recorder_alone_events_per_s"] = await recorder_alone(store, connection, scale)
            progress("single-append latency")
            samples = scale.latency_samples
            results["single_append_latency_ms"] = {
                "o3s": percentiles_ms(await ours.save_latencies(store, samples)),
                "stock": percentiles_ms(await asyncio.to_thread(stock.stock_save_latencies, app, samples)),
            }
            progress("filling both stores for the read figures")
            await fill_to_same_size(store, connection, stock_url, app, scale.read_events)
            results["read_all"] = await reads(store, app)
            progress("follow latency")
            from_call, from_return = await ours.follow_latencies(store, url, scale.follow_samples)
            results["follow_latency_ms"] = {
                "from_append_call": percentiles_ms(from_call),
                "from_append_returned": percentiles_ms(from_return),
                "single_append_latency_for_reference": results["single_append_latency_ms"]["o3s"],
            }
            return results
        finally:
            app.close()
            await connection.close()
            await pool.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run of a few seconds; figures are noise"
    )
    quick = parser.parse_args().quick
    scale = QUICK if quick else FULL
    started = time.perf_counter()
    results = asyncio.run(run(scale, os.environ.get("BENCH_DATABASE_URL") or LOCAL_SERVER))
    report = {
        "benchmark": "event store",
        "quick": quick,
        "scale": asdict(scale),
        "machine": machine(),
        **results,
        "targets": targets(results),
        "runtime_s": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
