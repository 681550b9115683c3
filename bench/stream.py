"""Live stream benchmark: append → SSE client latency for 1/100/500 clients at 200/1000 events/s, and the
catch-up replay rate of one client over 100k events, beside the store's own follow and read, as JSON.

Usage: .venv/bin/python bench/stream.py [--quick]   (server: BENCH_DATABASE_URL, else 127.0.0.1:5432)
One server process (uvicorn + uvloop, one worker, in-process hub), one client process, and this process
writing; all share the machine's cores with PostgreSQL, so the CPU each used is reported beside the figures.
"""

from __future__ import annotations

import argparse
import array
import asyncio
import contextlib
import json
import mmap
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# As a script, bench/ comes first on the path, and bench/projections.py would hide the projections package.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

from app.eventstore.follow import follow
from app.eventstore.listener import AppendListener
from app.eventstore.pool import create_pool
from app.eventstore.store import EventStore
from app.eventstore.urls import database_name
from app.migrate import migrate
from bench.store import LOCAL_SERVER, throwaway_database
from bench.stream_load import events_for, fill, write_at_rate
from bench.stream_processes import (
    clients_process,
    machine_cpu,
    own_cpu,
    postgres_cpu,
    process_cpu,
    result_of,
    stream_server,
)
from bench.stream_replay import replay
from bench.timing import machine, ratio


@dataclass(frozen=True)
class Scale:
    clients: tuple[int, ...]
    rates: tuple[int, ...]
    seconds: float
    tick: float
    replay_events: int
    warmup: float = 0.1  # fraction of each run's first events left out of the latencies


FULL = Scale(clients=(1, 100, 500), rates=(200, 1000), seconds=5.0, tick=0.005, replay_events=100_000)
QUICK = Scale(clients=(1, 20), rates=(200,), seconds=1.0, tick=0.005, replay_events=3_000)
_SHARED_DIR = "/dev/shm" if os.path.isdir("/dev/shm") else None  # append times, read by the client process


def progress(message: str) -> None:
    print(f"[bench/stream] {message}", file=sys.stderr, flush=True)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


async def follow_baseline(database_url: str, store: EventStore, rate: int, scale: Scale) -> dict[str, Any]:
    """The store alone: append → `follow()` yields it, in one process (no hub, no HTTP)."""
    per_tick, ticks = events_for(rate, scale.seconds, scale.tick)
    count = 1 + per_tick * ticks
    sent = memoryview(array.array("d", bytes(8 * count))).cast("B").cast("d")
    arrivals: list[tuple[int, float]] = []
    async with AppendListener(database_url) as listener:
        base = await store.head()

        async def consume() -> None:
            async with contextlib.aclosing(follow(store, listener, base)) as events:
                async for recorded in events:
                    arrivals.append((recorded.position, time.monotonic()))
                    if recorded.position >= base + count:
                        return

        consuming = asyncio.create_task(consume())
        writer = await write_at_rate(store, rate, scale.seconds, scale.tick, sent, base)
        await asyncio.wait_for(consuming, 30)
    skip = int(count * scale.warmup)
    found = sorted(t - sent[p - base - 1] for p, t in arrivals if p - base > skip and sent[p - base - 1] > 0)
    return {"rate": rate, **_percentiles(found), "writer": writer}


def _percentiles(found: list[float]) -> dict[str, Any]:
    if not found:
        return {"p50_ms": None, "p99_ms": None, "max_ms": None, "samples": 0}
    at = [found[int(q * (len(found) - 1))] for q in (0.5, 0.99, 1.0)]
    return {"p50_ms": ms(at[0]), "p99_ms": ms(at[1]), "max_ms": ms(at[2]), "samples": len(found)}


async def sse_latency(
    store: EventStore,
    server: subprocess.Popen[str],
    url: str,
    clients: int,
    rate: int,
    scale: Scale,
    database: str,
) -> dict[str, Any]:
    per_tick, ticks = events_for(rate, scale.seconds, scale.tick)
    count = 1 + per_tick * ticks
    base = await store.head()
    with tempfile.NamedTemporaryFile(dir=_SHARED_DIR, prefix="o3s-bench-sent-") as shared:
        shared.truncate(8 * count)
        with mmap.mmap(shared.fileno(), 8 * count) as memory, memoryview(memory).cast("d") as sent:
            skip = int(count * scale.warmup)
            async with clients_process(
                url, clients, base, count, shared.name, skip, scale.seconds + 60
            ) as process:
                before = (process_cpu(server.pid), own_cpu(), postgres_cpu(database), *machine_cpu())
                started = time.monotonic()
                writer = await write_at_rate(store, rate, scale.seconds, scale.tick, sent, base)
                result = await result_of(process)
                after = (process_cpu(server.pid), own_cpu(), postgres_cpu(database), *machine_cpu())
                wall = time.monotonic() - started
    used = [(later - earlier) / wall for later, earlier in zip(after, before, strict=True)]
    clients_used = result["cpu_seconds"] / wall
    p50, p99, worst = result["latencies"] or (None, None, None)
    return {
        "clients": clients,
        "rate": rate,
        "p50_ms": p50 and ms(p50),
        "p99_ms": p99 and ms(p99),
        "max_ms": worst and ms(worst),
        "samples": result["samples"],
        "clients_complete": result["complete"],
        "clients_dropped": result["closed_early"],
        "reads_per_event": round(result["reads"] / max(1, result["events_received"]), 3),
        "writer": writer,
        "cpu_cores_used": {
            "server": round(used[0], 2),
            "clients": round(clients_used, 2),
            "writer": round(used[1], 2),
            "postgres": round(used[2], 2),
            "other_processes": round(used[3] - used[0] - clients_used - used[1] - used[2], 2),
            "softirq": round(used[4], 2),
            "stolen_by_hypervisor": round(used[5], 2),
            "of": os.cpu_count(),
        },
    }


async def main(scale: Scale) -> dict[str, Any]:
    server_url = os.environ.get("BENCH_DATABASE_URL", LOCAL_SERVER)
    async with throwaway_database(server_url, "o3s_bench_stream") as url:
        database = database_name(url)
        await migrate(url)
        pool = await create_pool(url)
        try:
            store = EventStore(pool)
            progress(f"filling {scale.replay_events} events")
            await fill(store, scale.replay_events)
            report: dict[str, Any] = {"machine": machine(), "scale": asdict(scale)}
            report["follow_baseline"] = []
            for rate in scale.rates:
                progress(f"store follow baseline at {rate}/s")
                report["follow_baseline"].append(await follow_baseline(url, store, rate, scale))
            with stream_server(url) as (server, stream_url):
                progress("replay of one client from position 0")
                report["replay"] = await replay(store, stream_url)
                report["latency"] = []
                for clients in scale.clients:
                    for rate in scale.rates:
                        progress(f"{clients} clients at {rate} events/s")
                        figures = await sse_latency(store, server, stream_url, clients, rate, scale, database)
                        baseline = next(b for b in report["follow_baseline"] if b["rate"] == rate)
                        figures["p99_vs_store_follow"] = ratio(
                            figures["p99_ms"] or 0, baseline["p99_ms"] or 0
                        )
                        report["latency"].append(figures)
        finally:
            await pool.close()
    report["targets"] = {"p99_ms_at_500_clients_1000_per_s": 50, "replay_per_s": 50_000}
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds: smoke test of every figure")
    arguments = parser.parse_args()
    print(json.dumps(asyncio.run(main(QUICK if arguments.quick else FULL)), indent=2))
