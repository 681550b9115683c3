"""RedisFeed: keeps one worker's hub current from Redis, and from PostgreSQL whenever Redis cannot."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.stream.framing import StoredFraming
from app.stream.hub import FrameBatch, Hub
from app.stream.redis_bus import RedisKeys, decode_batch, decode_frame
from app.stream.tailer import Follow, tail

log = logging.getLogger(__name__)

PAGE_SIZE = 2_000


class RedisFeed:
    """Batches come from the elected tailer via Redis; PostgreSQL stays the truth behind them.

    A batch that does not start where the hub stands (a lost message, a restart, a new tailer) is
    preceded by reading the gap from the store; when Redis fails, the worker follows the store itself
    until Redis answers again.
    """

    def __init__(
        self,
        redis: Redis,
        keys: RedisKeys,
        hub: Hub,
        framing: StoredFraming,
        follow: Follow,
        *,
        probe_every: float = 1.0,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._hub = hub
        self._framing = framing
        self._follow = follow
        self._probe_every = probe_every
        self.fallbacks = 0
        self.gaps_filled = 0

    async def run(self) -> None:
        while True:
            try:
                await self._from_redis()
            except (RedisError, OSError) as error:
                log.warning("stream feed lost Redis (%s); following PostgreSQL directly", error)
            except Exception:
                log.exception("stream feed failed; following PostgreSQL directly")
            self.fallbacks += 1
            try:
                await self._from_store_until_redis_answers()
            except Exception:
                log.exception("stream feed cannot follow PostgreSQL; retrying")
                await asyncio.sleep(self._probe_every)

    async def _from_redis(self) -> None:
        pubsub = self._redis.pubsub()
        try:
            await pubsub.subscribe(self._keys.live, self._keys.ephemeral)
            # Whatever was published before the subscription took hold comes from the store.
            await self._fill_to_head()
            live = self._keys.live.encode()
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=self._probe_every)
                if message is None:
                    await pubsub.ping()
                    continue
                if message["channel"] == live:
                    await self._apply(decode_batch(message["data"]))
                elif message["type"] == "message":
                    self._hub.deliver_ephemeral(decode_frame(message["data"]))
        finally:
            with contextlib.suppress(RedisError, OSError):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def _apply(self, batch: FrameBatch) -> None:
        if batch.after > self._hub.through:
            self.gaps_filled += 1
            await self._fill(batch.after)
        self._hub.publish(batch)

    async def _fill(self, until: int) -> None:
        while self._hub.through < until:
            page = await self._framing.read_page(self._hub.through, PAGE_SIZE)
            if page.through == page.after:
                return  # the store shows nothing newer yet; the next batch will ask again
            self._hub.publish(page)

    async def _fill_to_head(self) -> None:
        while True:
            page = await self._framing.read_page(self._hub.through, PAGE_SIZE)
            self._hub.publish(page)
            if page.through == page.after:
                return

    async def _from_store_until_redis_answers(self) -> None:
        async def publish(batch: FrameBatch) -> None:
            self._hub.publish(batch)

        tailing = asyncio.create_task(tail(self._follow, self._framing, self._hub.through, publish))
        try:
            while not tailing.done():
                await asyncio.sleep(self._probe_every)
                with contextlib.suppress(RedisError, OSError):
                    await self._redis.ping()
                    return
        finally:
            tailing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await tailing
