"""Replay benchmark: one SSE client from position 0, beside the store's raw read and read + decode + frame."""

from __future__ import annotations

import time
from typing import Any

from app.eventstore.store import EventStore
from app.stream.framing import StoredFraming
from bench.stream_load import CODEC
from bench.stream_processes import clients_process, result_of
from bench.timing import ratio
from read_api.wire import WireMapper


async def replay(store: EventStore, url: str) -> dict[str, Any]:
    head = await store.head()
    started, after = time.monotonic(), 0
    while page := await store.read_all(after, 2_000):
        after = page[-1].position
    read_rate = head / (time.monotonic() - started)
    framing = StoredFraming(store, CODEC.decode, WireMapper())
    started, after, frames = time.monotonic(), 0, 0
    while (batch := await framing.read_page(after, 2_000)).through > after:
        after, frames = batch.through, frames + len(batch.frames)
    framing_rate = head / (time.monotonic() - started)
    async with clients_process(url, 1, 0, head, "-", 0, 600) as process:
        result = await result_of(process)
    sse_rate = result["events_received"] / (result["last_arrival"] - result["started"])
    return {
        "events": head,
        "frames": frames,
        "store_read_per_s": round(read_rate),
        "read_decode_frame_per_s": round(framing_rate),
        "sse_client_per_s": round(sse_rate),
        "sse_vs_store_read": ratio(sse_rate, read_rate),
        "sse_vs_read_decode_frame": ratio(sse_rate, framing_rate),
        "client_cpu_seconds": result["cpu_seconds"],
        "target_per_s": 50_000,
    }
