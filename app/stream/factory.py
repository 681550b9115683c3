"""open_hub: the live stream's composition: in-process, or fanned out through Redis across workers."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator

import asyncpg
import msgspec
from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.eventstore.follow import follow
from app.eventstore.listener import AppendListener
from app.eventstore.store import EventStore
from app.settings import Settings
from app.stream.framing import StoredFraming
from app.stream.hub import FrameBatch, Hub
from app.stream.leader import lead_when_elected
from app.stream.redis_bus import RedisKeys, RedisPublisher
from app.stream.redis_feed import RedisFeed
from app.stream.redis_tailer import publish_store
from app.stream.tailer import Follow, tail
from domain.codec import EventCodec
from read_api.sse import WireFrame
from read_api.wire import WireMapper
from read_api.wire_context import LEARNT_FROM, WireContext

log = logging.getLogger(__name__)


class StreamConfig(msgspec.Struct, frozen=True, kw_only=True):
    heartbeat_seconds: float = 15.0
    ring_size: int = 10_000
    """Recent frames kept in memory: reconnects within them never touch the database."""
    max_pending: int = 5_000
    """Frames a subscriber may have waiting before it is dropped (it reconnects and loses nothing)."""
    redis_prefix: str | None = None
    """Keys and channels; default `o3s:<database name>`, so deployments sharing a Redis stay apart."""
    hot_tail_batches: int = 10_000
    tick_seconds: float = 1.0
    election_retry_seconds: float = 1.0


async def load_wire_context(store: EventStore, codec: EventCodec, page_size: int = 5_000) -> WireContext:
    """Agent names and task slugs from the whole store, so frames of any position can be built."""
    context = WireContext()
    after, types = 0, [codec.type_name(event_class) for event_class in LEARNT_FROM]
    while page := await store.read_filtered(after, page_size, types=types):
        for recorded in page:
            context.learn(recorded.stream_id, codec.decode(recorded))
        after = page[-1].position
    return context


@contextlib.asynccontextmanager
async def open_hub(
    settings: Settings,
    pool: asyncpg.Pool,
    store: EventStore,
    codec: EventCodec,
    listener: AppendListener,
    config: StreamConfig | None = None,
) -> AsyncIterator[Hub]:
    """The hub for `GET /api/stream` (the `hub` dependency) and for `hub.publish_ephemeral(...)`."""
    config = config or StreamConfig()
    framing = StoredFraming(store, codec.decode, WireMapper(await load_wire_context(store, codec)))
    follow_store = functools.partial(follow, store, listener)
    head = await store.head()
    hub = Hub(
        framing.read_page,
        start=head,
        head=store.head,
        ring_size=config.ring_size,
        max_pending=config.max_pending,
        heartbeat_seconds=config.heartbeat_seconds,
    )
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(hub)
        tasks: list[asyncio.Task[None]] = []
        if settings.redis_url is None:
            tasks.append(asyncio.create_task(_tail_forever(hub, framing, follow_store), name="o3s-tailer"))
        else:
            redis = Redis.from_url(settings.redis_url)
            stack.push_async_callback(redis.aclose)
            prefix = config.redis_prefix or f"o3s:{await pool.fetchval('SELECT current_database()')}"
            keys = RedisKeys(prefix)
            publisher = RedisPublisher(redis, keys, tail_length=config.hot_tail_batches)
            await _warm_start(hub, publisher, head, config.ring_size)
            hub.relay_ephemeral(functools.partial(_relay, publisher, hub))
            feed = RedisFeed(redis, keys, hub, framing, follow_store, probe_every=config.tick_seconds)
            run_tailer = functools.partial(
                publish_store, publisher, framing, follow_store, store, tick_every=config.tick_seconds
            )
            tasks.append(asyncio.create_task(feed.run(), name="o3s-redis-feed"))
            tasks.append(
                asyncio.create_task(
                    lead_when_elected(pool, prefix, run_tailer, retry_every=config.election_retry_seconds),
                    name="o3s-tailer-election",
                )
            )
        try:
            yield hub
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


async def _tail_forever(hub: Hub, framing: StoredFraming, follow_store: Follow) -> None:
    """The in-process tailer; should it ever fail, it starts again where the hub stands."""

    async def publish(batch: FrameBatch) -> None:
        hub.publish(batch)

    while True:
        try:
            await tail(follow_store, framing, hub.through, publish)
        except Exception:
            log.exception("the stream tailer failed; restarting it from position %d", hub.through)
            await asyncio.sleep(1.0)


async def _warm_start(hub: Hub, publisher: RedisPublisher, head: int, ring_size: int) -> None:
    """Fills the ring from Redis's hot tail, so a fresh worker serves recent reconnects from memory."""
    try:
        batches = await publisher.hot_tail(max(1, ring_size // 10))
    except (RedisError, OSError) as error:
        log.warning("no hot tail from Redis (%s); starting at the store's head", error)
        return
    chain: list[FrameBatch] = []
    for batch in reversed(batches):
        if chain and batch.through != chain[-1].after:
            break
        chain.append(batch)
    if chain and chain[0].through <= head:
        hub.preload(chain[::-1])


async def _relay(publisher: RedisPublisher, hub: Hub, frame: WireFrame) -> None:
    try:
        await publisher.publish_ephemeral(frame)
    except (RedisError, OSError):
        hub.deliver_ephemeral(frame)  # at least this worker's subscribers see it
