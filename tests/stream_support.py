"""The live stream over real HTTP for tests and benches: a stream-only app on uvicorn, writers, a reader."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

import msgspec
import uvicorn
from litestar import Litestar
from litestar.di import Provide

from app.eventstore.listener import AppendListener
from app.eventstore.pool import create_pool
from app.eventstore.store import EventStore
from app.settings import Settings
from app.stream.factory import StreamConfig, open_hub
from app.stream.hub import Hub
from domain.codec import EventCodec
from domain.metadata import Actor, Metadata
from domain.registry import EVENT_TYPES
from domain.session import OrchestratorSession
from domain.session_activity import record_system_log
from read_api.stream import stream_events

if TYPE_CHECKING:
    import httpx  # workers started with `-m` import no HTTP client

CODEC = EventCodec(EVENT_TYPES)


@dataclass
class StreamServer:
    url: str
    hub: Hub
    store: EventStore
    server: uvicorn.Server
    serving: asyncio.Task[None]


def stream_app(hub: Hub) -> Litestar:
    def provide_hub() -> Hub:
        return hub

    return Litestar(
        route_handlers=[stream_events], dependencies={"hub": Provide(provide_hub, sync_to_thread=False)}
    )


@contextlib.asynccontextmanager
async def serve_stream(
    database_url: str, *, redis_url: str | None = None, config: StreamConfig | None = None, port: int = 0
) -> AsyncIterator[StreamServer]:
    """uvicorn on a free port, serving `GET /api/stream` from a hub opened as the composition root does."""
    # The application name tells which process holds the tailer's lock (see pg_locks).
    pool = await create_pool(database_url, server_settings={"application_name": f"o3s-stream-{os.getpid()}"})
    try:
        async with AppendListener(database_url) as listener:
            store = EventStore(pool)
            settings = Settings(redis_url=redis_url)
            async with open_hub(settings, pool, store, CODEC, listener, config) as hub:
                server = uvicorn.Server(
                    uvicorn.Config(
                        stream_app(hub),
                        host="127.0.0.1",
                        port=port,
                        log_level="warning",
                        lifespan="off",
                        # Open streams never end by themselves: without this, a stop waits for every client.
                        timeout_graceful_shutdown=1,
                    )
                )
                serving = asyncio.create_task(server.serve())
                while not server.started:
                    if serving.done():
                        serving.result()
                    await asyncio.sleep(0.01)
                bound = server.servers[0].sockets[0].getsockname()[1]
                try:
                    yield StreamServer(f"http://127.0.0.1:{bound}/api/stream", hub, store, server, serving)
                finally:
                    server.should_exit = True
                    await serving
    finally:
        await pool.close()


class SessionWriter:
    """Appends system-log events to one new session stream (one writer per stream: no conflicts)."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.session = OrchestratorSession.start("/tmp", "sonnet")
        self.metadata = Metadata.first(uuid4(), Actor.SYSTEM).in_session(self.session.id)

    @property
    def session_id(self) -> UUID:
        return self.session.id

    async def write(self, count: int = 1, *, padding: int = 0) -> list[int]:
        details = {"padding": "x" * padding} if padding else {}
        for n in range(count):
            record_system_log(self.session, uuid4(), "INFO", f"line {n}", details)
        events = [CODEC.encode(event, self.metadata) for event in self.session.collect_events()]
        return await self.store.append(events)


async def eventually(check: Callable[[], bool], within: float = 30.0, step: float = 0.05) -> None:
    """Polls `check` (a server-side counter, say) until it holds; fails after `within` seconds."""
    for _ in range(int(within / step)):
        if check():
            return
        await asyncio.sleep(step)
    raise AssertionError(f"still not true after {within}s: {check}")


class Frame(msgspec.Struct, frozen=True):
    event: str
    data: str
    id: int | None = None


async def read_frames(
    client: httpx.AsyncClient,
    url: str,
    *,
    count: int,
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
) -> list[Frame]:
    """Reads until `count` frames (comments and `retry:` lines are not frames) have arrived."""
    frames: list[Frame] = []
    async with client.stream("GET", url, headers=headers, params=params) as response:
        response.raise_for_status()
        fields: dict[str, str] = {}
        async for line in response.aiter_lines():
            if line:
                name, _, value = line.partition(": ")
                fields[name] = value
                continue
            if "event" in fields:
                position = fields.get("id")
                frames.append(
                    Frame(fields["event"], fields["data"], None if position is None else int(position))
                )
                if len(frames) >= count:
                    break
            fields = {}
    return frames


def main() -> None:
    """A stream-only worker process (for the Redis tests and the benchmark): prints its URL, serves."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url")
    parser.add_argument("--prefix")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--heartbeat", type=float, default=15.0)
    args = parser.parse_args()
    config = StreamConfig(
        redis_prefix=args.prefix, heartbeat_seconds=args.heartbeat, election_retry_seconds=0.2
    )

    async def run() -> None:
        async with serve_stream(
            args.database_url, redis_url=args.redis_url, config=config, port=args.port
        ) as server:
            print(server.url, flush=True)
            await server.serving  # until SIGTERM or SIGINT

    try:
        import uvloop

        uvloop.run(run())
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
