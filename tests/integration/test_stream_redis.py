"""Workers behind Redis stream the same events; when Redis or the tailer goes away, nothing is lost."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from redis.asyncio import Redis

from app.stream.factory import StreamConfig
from app.stream.redis_bus import RedisKeys
from tests.stream_support import Frame, SessionWriter, eventually, read_frames, serve_stream

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    """Keys and channels of this test alone; removed afterwards."""
    name = f"o3s-test-{uuid.uuid4().hex[:12]}"
    yield name
    redis = Redis.from_url(REDIS_URL)
    await redis.delete(RedisKeys(name).tail)
    await redis.aclose()


class Worker:
    """A stream-only web worker in its own process, as `o3s serve --workers N` would run several."""

    def __init__(self, database_url: str, redis_url: str, prefix: str) -> None:
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "tests.stream_support", "--database-url", database_url),
                *("--redis-url", redis_url, "--prefix", prefix, "--heartbeat", "0.5"),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url = ""

    def wait_ready(self) -> None:
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        assert self.url.startswith("http://"), f"worker did not start: {self.url!r}"

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        self.process.wait(timeout=10)


@pytest.fixture
def workers(database_url: str, prefix: str) -> Iterator[list[Worker]]:
    started = [Worker(database_url, REDIS_URL, prefix) for _ in range(2)]  # both start at once
    try:
        for worker in started:
            worker.wait_ready()
        yield started
    finally:
        for worker in started:
            worker.stop()


async def tailer_pid(database_url: str, prefix: str) -> int:
    """The OS process holding the tailer's advisory lock, from the application name of its connection."""
    conn = await asyncpg.connect(database_url)
    try:
        names = await conn.fetch(
            """SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
               WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted
                 AND l.objid::int = hashtext($1)""",
            prefix,
        )
    finally:
        await conn.close()
    assert len(names) == 1, names
    return int(names[0]["application_name"].rpartition("-")[2])


async def test_two_workers_behind_redis_deliver_identical_streams(
    database_url: str, workers: list[Worker], pool: asyncpg.Pool
) -> None:
    from app.eventstore.store import EventStore

    store = EventStore(pool)
    start = await store.head()
    writer = SessionWriter(store)
    async with httpx.AsyncClient(timeout=30) as client:
        readers = [
            asyncio.create_task(read_frames(client, worker.url, count=201, params={"from": str(start)}))
            for worker in workers
        ]
        written: list[int] = []
        for _ in range(20):
            written += await writer.write(10)
            await asyncio.sleep(0.01)
        first, second = await asyncio.gather(*readers)
    assert [frame.id for frame in first] == written
    assert first == second


async def test_when_the_tailer_dies_another_worker_takes_over_without_loss(
    database_url: str, prefix: str, workers: list[Worker], pool: asyncpg.Pool
) -> None:
    from app.eventstore.store import EventStore

    store = EventStore(pool)
    start = await store.head()
    writer = SessionWriter(store)
    written = await writer.write(10)
    leader_pid = await tailer_pid(database_url, prefix)
    (leader,) = [worker for worker in workers if worker.process.pid == leader_pid]
    (survivor,) = [worker for worker in workers if worker is not leader]
    async with httpx.AsyncClient(timeout=30) as client:
        reading = asyncio.create_task(
            read_frames(client, survivor.url, count=31, params={"from": str(start)})
        )
        leader.stop(signal.SIGKILL)
        for _ in range(10):
            written += await writer.write(2)
            await asyncio.sleep(0.05)
        frames = await reading
    assert [frame.id for frame in frames] == written
    assert await tailer_pid(database_url, prefix) == survivor.process.pid


class RedisProxy:
    """A TCP relay in front of Redis that the test can cut, as if Redis (or the network to it) died."""

    def __init__(self) -> None:
        self.port = 0
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for connection in list(self._connections):
            connection.transport.abort()
        await self._server.wait_closed()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", 6379)
        self._connections |= {writer, up_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._connections -= {writer, up_writer}


async def test_when_redis_goes_away_streaming_continues_from_postgres(database_url: str, prefix: str) -> None:
    proxy = RedisProxy()
    await proxy.start()
    config = StreamConfig(redis_prefix=prefix, tick_seconds=0.2, election_retry_seconds=0.2)
    async with (
        serve_stream(database_url, redis_url=f"redis://127.0.0.1:{proxy.port}/0", config=config) as server,
        httpx.AsyncClient(timeout=30) as client,
    ):
        start = await server.store.head()
        writer = SessionWriter(server.store)
        received: list[Frame] = []

        async def read() -> None:
            received.extend(await read_frames(client, server.url, count=61, params={"from": str(start)}))

        reading = asyncio.create_task(read())
        written = await writer.write(20)
        await asyncio.sleep(0.3)
        await proxy.cut()
        written += await writer.write(20)
        await eventually(lambda: server.hub.through >= written[-1], within=10)  # only PostgreSQL can tell
        await proxy.start()
        await asyncio.sleep(0.5)
        written += await writer.write(20)
        await reading
        await proxy.cut()
    assert [frame.id for frame in received] == written


async def test_without_a_reachable_redis_the_stream_runs_from_postgres(
    database_url: str, prefix: str
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nothing = probe.getsockname()[1]  # closed when the block ends: nothing listens there
    config = StreamConfig(redis_prefix=prefix, tick_seconds=0.2, election_retry_seconds=0.2)
    async with (
        serve_stream(database_url, redis_url=f"redis://127.0.0.1:{nothing}/0", config=config) as server,
        httpx.AsyncClient(timeout=30) as client,
    ):
        start = await server.store.head()
        reading = asyncio.create_task(read_frames(client, server.url, count=11, params={"from": str(start)}))
        written = await SessionWriter(server.store).write(10)
        assert [frame.id for frame in await reading] == written
