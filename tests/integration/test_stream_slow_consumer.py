"""A subscriber that stops reading is dropped without slowing anyone, and loses nothing when it resumes."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator

import httpx
import pytest

from app.stream.factory import StreamConfig
from tests.stream_support import SessionWriter, StreamServer, eventually, read_frames, serve_stream

EVENTS = 4_000
PADDING = 4_000  # 16 MB in all: more than the kernel and uvicorn buffer for a client that reads nothing


@pytest.fixture(scope="module")
async def stream(database_url: str) -> AsyncIterator[StreamServer]:
    async with serve_stream(database_url, config=StreamConfig(max_pending=500, ring_size=100)) as server:
        yield server


def frame_ids(buffer: bytes) -> list[int]:
    """Ids of the complete frames (ended by a blank line) in a raw SSE body."""
    complete = buffer[: buffer.rfind(b"\n\n") + 2]
    return [int(found) for found in re.findall(rb"^id: (\d+)$", complete, re.MULTILINE)]


async def test_a_client_that_reads_nothing_is_dropped_and_resumes_without_loss(stream: StreamServer) -> None:
    start = await stream.store.head()
    writer = SessionWriter(stream.store)
    async with httpx.AsyncClient(timeout=30) as fast_client, httpx.AsyncClient(timeout=30) as slow_client:
        fast = asyncio.create_task(
            read_frames(fast_client, stream.url, count=EVENTS + 2, params={"from": str(start)})
        )
        async with slow_client.stream("GET", stream.url, params={"from": str(start)}) as slow:
            dropped_before = stream.hub.stats().dropped
            written = await writer.write(1)  # the session start and one line
            for _ in range(EVENTS // 50):
                written += await writer.write(50, padding=PADDING)
            await eventually(lambda: stream.hub.stats().dropped > dropped_before)
            # Everyone else got everything, in order, while the slow one was stuck.
            assert [frame.id for frame in await fast] == written
            # The slow client now reads what was already sent to it, then finds the stream ended.
            buffer = b""
            with contextlib.suppress(httpx.RemoteProtocolError):
                async for chunk in slow.aiter_raw():
                    buffer += chunk
    seen = frame_ids(buffer)
    assert seen == written[: len(seen)]
    assert len(seen) < len(written)
    async with httpx.AsyncClient(timeout=30) as again:
        rest = await read_frames(
            again, stream.url, count=len(written) - len(seen), headers={"Last-Event-ID": str(seen[-1])}
        )
    assert seen + [frame.id for frame in rest] == written
