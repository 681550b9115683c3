"""`GET /api/stream` over real HTTP: catch-up then live exactly once, resumes, filters, 400s, heartbeats."""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections.abc import AsyncIterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.stream.factory import StreamConfig
from tests.stream_support import SessionWriter, StreamServer, read_frames, serve_stream


@pytest.fixture(scope="module")
async def stream(database_url: str) -> AsyncIterator[StreamServer]:
    # A small ring, so that resumes take the store path as well as the in-memory one.
    config = StreamConfig(ring_size=16, heartbeat_seconds=0.2)
    async with serve_stream(database_url, config=config) as server:
        yield server


@pytest.fixture(scope="module")
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(10, read=10)) as http:
        yield http


def complete_frames(buffer: bytes) -> list[dict[str, str]]:
    """Frames whose blank line arrived; a frame cut by a disconnect is not an event (as in EventSource)."""
    frames = []
    for block in buffer.split(b"\n\n")[:-1]:
        fields = dict(line.split(": ", 1) for line in block.decode().split("\n") if line and line[0] != ":")
        if "event" in fields:
            frames.append(fields)
    return frames


async def read_then_drop(
    client: httpx.AsyncClient, url: str, *, after: int, header: bool, cut_bytes: int, patience: float
) -> list[dict[str, str]]:
    """One connection: reads `cut_bytes` bytes (maybe mid-frame) or for `patience` seconds, then drops."""
    headers = {"Last-Event-ID": str(after)} if header else {}
    params = {} if header else {"from": str(after)}
    buffer = b""
    with contextlib.suppress(TimeoutError):
        async with (
            asyncio.timeout(patience),
            client.stream("GET", url, headers=headers, params=params) as answer,
        ):
            assert answer.status_code == 200
            async for chunk in answer.aiter_raw():
                buffer += chunk
                if len(buffer) >= cut_bytes:
                    buffer = buffer[:cut_bytes]
                    break
    return complete_frames(buffer)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    writes=st.lists(st.integers(1, 30), min_size=1, max_size=8),
    cuts=st.lists(st.integers(350, 6000), min_size=1, max_size=8),  # >= one frame: progress
    header=st.booleans(),
    seed=st.integers(0, 2**16),
)
async def test_a_client_that_drops_and_resumes_gets_every_event_once_in_order(
    stream: StreamServer,
    client: httpx.AsyncClient,
    writes: list[int],
    cuts: list[int],
    header: bool,
    seed: int,
) -> None:
    rng = random.Random(seed)
    start = await stream.store.head()
    writers = [SessionWriter(stream.store), SessionWriter(stream.store)]
    expected: list[int] = []

    async def write() -> None:
        for number, count in enumerate(writes):
            expected.extend(await writers[number % 2].write(count))
            await asyncio.sleep(rng.random() * 0.01)

    writing = asyncio.create_task(write())
    received: list[int] = []
    after = start
    idle = 0
    for connection in range(1000):
        cut = cuts[connection % len(cuts)]
        frames = await read_then_drop(
            client, stream.url, after=after, header=header and connection > 0, cut_bytes=cut, patience=0.3
        )
        received += [int(frame["id"]) for frame in frames]
        after = received[-1] if received else after
        if writing.done() and after >= max(expected):
            break
        idle = 0 if frames else idle + 1
        assert idle < 10, f"no progress after {after}"
    await writing
    assert received == sorted(set(received)), "a position came twice or out of order"
    assert set(expected) <= set(received)


async def test_catch_up_switches_to_live_without_gap_or_repeat(
    stream: StreamServer, client: httpx.AsyncClient
) -> None:
    writer = SessionWriter(stream.store)
    stored = await writer.write(40)  # more than the ring holds: the first frames come from the store
    reading = asyncio.create_task(
        read_frames(client, stream.url, count=60, params={"from": str(stored[0] - 1)})
    )
    await asyncio.sleep(0.05)
    live = await writer.write(19)
    frames = await reading
    assert [frame.id for frame in frames] == stored + live
    assert [json.loads(frame.data)["position"] for frame in frames] == stored + live


async def test_a_position_beyond_the_head_waits_for_live_events(
    stream: StreamServer, client: httpx.AsyncClient
) -> None:
    head = await stream.store.head()
    writer = SessionWriter(stream.store)
    reading = asyncio.create_task(read_frames(client, stream.url, count=3, params={"from": str(head + 5)}))
    await asyncio.sleep(0.1)
    assert not reading.done()
    positions = await writer.write(7)
    assert [frame.id for frame in await reading] == [p for p in positions if p > head + 5][:3]


async def test_without_a_position_only_new_events_arrive(
    stream: StreamServer, client: httpx.AsyncClient
) -> None:
    writer = SessionWriter(stream.store)
    await writer.write(3)
    reading = asyncio.create_task(read_frames(client, stream.url, count=2))
    await asyncio.sleep(0.1)
    positions = await writer.write(2)
    assert [frame.id for frame in await reading] == positions


async def test_filters_by_session_and_type(stream: StreamServer, client: httpx.AsyncClient) -> None:
    mine, other = SessionWriter(stream.store), SessionWriter(stream.store)
    start = await stream.store.head()
    mine_positions = await mine.write(3)
    await other.write(3)
    params = {"from": str(start), "orchestrator": str(mine.session_id), "types": "system_log"}
    frames = await read_frames(client, stream.url, count=3, params=params)
    assert [frame.id for frame in frames] == mine_positions[1:]  # [0] is the session's start
    assert {frame.event for frame in frames} == {"system_log"}


@pytest.mark.parametrize(
    ("headers", "params", "reason"),
    [
        ({"Last-Event-ID": "twelve"}, {}, "Last-Event-ID must be a stream position"),
        ({}, {"from": "-3"}, "from must be a stream position"),
        ({}, {"agent": "a", "limit": "3"}, "unknown query parameter 'limit'"),
        ({}, {"types": "agent_log,agent_born"}, "unknown wire type(s) 'agent_born'"),
        ({}, {"orchestrator": "main"}, "orchestrator must be a session id"),
    ],
)
async def test_bad_requests_get_400_problem_details_with_the_reason(
    stream: StreamServer,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    params: dict[str, str],
    reason: str,
) -> None:
    answer = await client.get(stream.url, headers=headers, params=params)
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["status"] == 400
    assert reason in problem["detail"]


async def test_an_idle_connection_gets_heartbeat_comments(
    stream: StreamServer, client: httpx.AsyncClient
) -> None:
    lines: list[str] = []
    async with client.stream("GET", stream.url) as answer:
        assert answer.headers["content-type"].startswith("text/event-stream")
        async for line in answer.aiter_lines():
            lines.append(line)
            if lines.count(": heartbeat") == 2:
                break
    assert lines[:2] == ["retry: 1000", ""]
