"""The benchmark's processes: the stream server, the client process, and how much CPU each party used."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def postgres_cpu(database: str) -> float:
    """CPU of the PostgreSQL backends serving `database` (the server's own background workers excluded)."""
    total = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                if f" {database} ".encode() not in cmdline.read():
                    continue
            total += process_cpu(int(entry.name))
        except OSError:
            continue
    return total


def machine_cpu() -> tuple[float, float, float]:
    """Core-seconds since boot, all cores: (processes: user + system, softirq, stolen by the hypervisor).

    Loopback TCP work done in softirq context is not always charged to a process, hence its own figure."""
    with open("/proc/stat") as stat:
        user, nice, system, _idle, _iowait, irq, softirq, steal = (
            int(v) for v in stat.readline().split()[1:9]
        )
    return (user + nice + system) / TICKS, (irq + softirq) / TICKS, steal / TICKS


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextlib.contextmanager
def stream_server(database_url: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.stream_support", "--database-url", database_url],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError(f"the stream server did not start: {url!r}")
        yield server, url
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextlib.asynccontextmanager
async def clients_process(
    url: str, clients: int, start: int, count: int, shm: str, skip: int, deadline: float
) -> AsyncIterator[asyncio.subprocess.Process]:
    args = [url, clients, start, count, shm, start, skip, deadline]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.stream_clients", *map(str, args), cwd=REPO, stdout=subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        ready = await process.stdout.readline()
        if ready.strip() != b"ready":
            raise RuntimeError(f"the clients did not connect: {ready!r}")
        yield process
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()


async def result_of(process: asyncio.subprocess.Process) -> dict[str, Any]:
    assert process.stdout is not None
    line = await process.stdout.readline()
    result: dict[str, Any] = json.loads(line)
    return result
