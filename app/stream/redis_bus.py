"""Frames across workers through Redis: pub/sub for live batches, a capped stream as the hot tail."""

from __future__ import annotations

from typing import cast

import msgspec
from redis.asyncio import Redis

from app.stream.hub import FrameBatch
from read_api.sse import WireFrame

# XADD and PUBLISH as one step: a batch whose `through` is not beyond the tail's newest entry (a deposed
# tailer still running) is refused by XADD and then never published either.
_APPEND_AND_PUBLISH = """
local added = redis.pcall('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], ARGV[1], 'b', ARGV[2])
if type(added) == 'table' and added.err then return 0 end
redis.call('PUBLISH', ARGV[4], ARGV[2])
return 1
"""

_Entry = tuple[bytes, dict[bytes, bytes]]
_encoder = msgspec.msgpack.Encoder()
_batch_decoder = msgspec.msgpack.Decoder(FrameBatch)
_frame_decoder = msgspec.msgpack.Decoder(WireFrame)


class RedisKeys(msgspec.Struct, frozen=True):
    """All keys and channels of one deployment share `prefix` (one per database, unique per test run)."""

    prefix: str

    @property
    def tail(self) -> str:
        return f"{{{self.prefix}}}:tail"

    @property
    def live(self) -> str:
        return f"{self.prefix}:live"

    @property
    def ephemeral(self) -> str:
        return f"{self.prefix}:ephemeral"


def decode_batch(payload: bytes) -> FrameBatch:
    return _batch_decoder.decode(payload)


def decode_frame(payload: bytes) -> WireFrame:
    return _frame_decoder.decode(payload)


class RedisPublisher:
    """What the elected tailer (and anyone with an ephemeral frame) sends to every worker."""

    def __init__(self, redis: Redis, keys: RedisKeys, *, tail_length: int = 10_000) -> None:
        self._redis = redis
        self._keys = keys
        self._tail_length = tail_length
        self._append_and_publish = redis.register_script(_APPEND_AND_PUBLISH)

    async def publish(self, batch: FrameBatch) -> bool:
        """False when the hot tail is already past this batch (another tailer published it)."""
        payload = _encoder.encode(batch)
        published = await self._append_and_publish(
            keys=[self._keys.tail], args=[f"{batch.through}-0", payload, self._tail_length, self._keys.live]
        )
        return bool(published)

    async def tick(self, through: int) -> None:
        """An empty batch at `through`: lets idle workers notice a batch they missed."""
        await self._redis.publish(self._keys.live, _encoder.encode(FrameBatch(through, through, ())))

    async def publish_ephemeral(self, frame: WireFrame) -> None:
        await self._redis.publish(self._keys.ephemeral, _encoder.encode(frame))

    async def last_through(self) -> int | None:
        """The newest position in the hot tail: where a newly elected tailer resumes."""
        batches = await self.hot_tail(1)
        return batches[-1].through if batches else None

    async def hot_tail(self, count: int) -> list[FrameBatch]:
        """The newest `count` batches, oldest first."""
        entries = cast(list[_Entry], await self._redis.xrevrange(self._keys.tail, count=count))
        return [decode_batch(fields[b"b"]) for _, fields in reversed(entries)]
