"""Many SSE clients in one process, as cheap as possible: raw asyncio protocols that only find `id:` lines.

Run by bench/stream.py: `python -m bench.stream_clients URL CLIENTS FROM COUNT SENT BASE SKIP DEADLINE`.
Prints `ready` once every client has its response headers, then one JSON line with the results. Each
client notes (arrival time, first id, last id, ids) per read; latencies (arrival - append time, which the
writer notes in the SENT file as doubles by position) are computed after the run, so measuring costs little.
"""

from __future__ import annotations

import asyncio
import json
import mmap
import resource
import sys
import time
from urllib.parse import urlsplit

import uvloop

_ID = b"id: "
_FRAME_END = b"\n\n"


class SseCounter(asyncio.Protocol):
    def __init__(self, request: bytes, last: int, done: asyncio.Event) -> None:
        self.request = request
        self.last = last
        self.done = done
        self.headers = asyncio.get_running_loop().create_future()
        self.reads: list[tuple[float, int, int, int]] = []
        self.received = 0
        self.closed = False
        self._carry = b""
        self._in_body = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.write(self.request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        data = self._carry + data
        if not self._in_body:
            end = data.find(b"\r\n\r\n")
            if end < 0:
                self._carry = data
                return
            self._in_body = True
            self.headers.set_result(data[:end])
            data = data[end + 4 :]
        cut = data.rfind(_FRAME_END) + 2  # only whole frames; the rest waits for the next read
        complete, self._carry = data[:cut], data[cut:]
        ids = complete.count(_ID)
        if not ids:
            return
        first = complete.find(_ID) + 4
        last = complete.rfind(_ID) + 4
        first_id = int(complete[first : complete.index(b"\n", first)])
        last_id = int(complete[last : complete.index(b"\n", last)])
        self.reads.append((now, first_id, last_id, ids))
        self.received += ids
        if last_id >= self.last:
            self.done.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.done.set()


class Run:
    started = 0.0
    cpu_at_ready = 0.0


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run(url: str, clients: int, start: int, count: int, deadline: float) -> list[SseCounter]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    request = (
        f"GET {parts.path}?from={start} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n\r\n"
    ).encode()
    loop = asyncio.get_running_loop()
    counters: list[SseCounter] = []
    Run.started = time.monotonic()
    for _ in range(clients):
        counter = SseCounter(request, start + count, asyncio.Event())
        await loop.create_connection(lambda c=counter: c, host, port)  # type: ignore[misc]
        counters.append(counter)
    await asyncio.gather(*(counter.headers for counter in counters))
    Run.cpu_at_ready = cpu_seconds()
    print("ready", flush=True)
    try:
        async with asyncio.timeout(deadline):
            await asyncio.gather(*(counter.done.wait() for counter in counters))
    except TimeoutError:
        pass
    return counters


def latencies(counters: list[SseCounter], sent: memoryview[float], base: int, skip: int) -> list[float]:
    """Seconds from append to arrival for every event every client got (ids in a read are contiguous)."""
    found: list[float] = []
    for counter in counters:
        for arrived, first, last, _ in counter.reads:
            for position in range(max(first, base + skip + 1), last + 1):
                appended = sent[position - base - 1]
                if appended > 0:
                    found.append(arrived - appended)
    return found


def main() -> None:
    url, clients, start, count, shm, base, skip, deadline = sys.argv[1:9]
    counters = uvloop.run(run(url, int(clients), int(start), int(count), float(deadline)))
    cpu = cpu_seconds() - Run.cpu_at_ready
    found: list[float] = []
    if shm != "-":
        with (
            open(shm, "rb") as shared,
            mmap.mmap(shared.fileno(), 0, access=mmap.ACCESS_READ) as memory,
            memoryview(memory).cast("d") as sent,
        ):
            found = latencies(counters, sent, int(base), int(skip))
    found.sort()
    result = {
        "clients": len(counters),
        "complete": sum(1 for counter in counters if counter.received >= int(count)),
        "closed_early": sum(1 for counter in counters if counter.closed and counter.received < int(count)),
        "events_received": sum(counter.received for counter in counters),
        "reads": sum(len(counter.reads) for counter in counters),
        "first_arrival": min((c.reads[0][0] for c in counters if c.reads), default=0.0),
        "last_arrival": max((c.reads[-1][0] for c in counters if c.reads), default=0.0),
        "started": Run.started,
        "cpu_seconds": round(cpu, 3),
        "latencies": [found[int(q * (len(found) - 1))] for q in (0.5, 0.99, 1.0)] if found else [],
        "samples": len(found),
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
