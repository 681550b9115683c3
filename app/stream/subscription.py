"""One subscriber's bounded buffer of encoded frames: the hub offers, the connection drains."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from read_api.live import FrameFilter, SubscriptionDropped
from read_api.sse import HEARTBEAT, WireFrame


class BufferedSubscription:
    """Never blocks the hub: past `max_pending` frames not yet sent, the subscriber is dropped.

    `skip_through`: stored frames at or below it were already sent (by catch-up) and are skipped.
    """

    __slots__ = (
        "_chunks",
        "_on_overflow",
        "_pending",
        "_waiter",
        "dropped",
        "frame_filter",
        "max_pending",
        "skip_through",
    )

    def __init__(self, frame_filter: FrameFilter, max_pending: int, skip_through: int) -> None:
        self.frame_filter = frame_filter
        self.max_pending = max_pending
        self.skip_through = skip_through
        self.dropped: str | None = None
        self._chunks: list[bytes] = []
        self._pending = 0
        self._waiter: asyncio.Future[None] | None = None
        self._on_overflow: Callable[[], object] | None = None

    @property
    def pending(self) -> int:
        return self._pending

    def offer_batch(self, frames: Sequence[WireFrame], joined: bytes, after: int) -> None:
        """A batch of stored frames covering positions (after, …]; `joined` is their shared bytes."""
        if self.dropped is not None or not frames:
            return
        if self.frame_filter.passes_all and after >= self.skip_through:
            self._push(joined, len(frames))
            return
        chosen = [
            frame.sse
            for frame in frames
            if (frame.position is None or frame.position > self.skip_through)
            and self.frame_filter.matches(frame)
        ]
        if chosen:
            self._push(b"".join(chosen), len(chosen))

    def offer(self, frame: WireFrame) -> None:
        if self.dropped is None and self.frame_filter.matches(frame):
            self._push(frame.sse, 1)

    def offer_heartbeat(self) -> None:
        """Only idle subscribers need one: anything queued already keeps the connection alive."""
        if self.dropped is None and not self._chunks:
            self._chunks.append(HEARTBEAT)
            self._wake()

    def drop(self, reason: str) -> None:
        if self.dropped is not None:
            return
        self.dropped = reason
        self._chunks.clear()
        self._pending = 0
        self._wake()
        if self._on_overflow is not None:
            self._on_overflow()

    def on_overflow(self, callback: Callable[[], object]) -> None:
        self._on_overflow = callback

    async def next_chunk(self) -> bytes:
        while not self._chunks:
            if self.dropped is not None:
                raise SubscriptionDropped(self.dropped)
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        if self.dropped is not None:
            raise SubscriptionDropped(self.dropped)
        chunks, self._chunks = self._chunks, []
        self._pending = 0
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _push(self, chunk: bytes, frames: int) -> None:
        self._chunks.append(chunk)
        self._pending += frames
        if self._pending > self.max_pending:
            self.drop(f"more than {self.max_pending} frames waiting to be sent")
        else:
            self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
