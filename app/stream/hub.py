"""Hub: one process's fan-out of encoded frames to its SSE subscribers, with a ring of recent frames."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections import deque
from collections.abc import Awaitable, Callable, Sequence

import msgspec

from app.stream.subscription import BufferedSubscription
from read_api.live import FrameFilter, StoredPage, Subscription
from read_api.sse import WireFrame, join_frames


class FrameBatch(msgspec.Struct, frozen=True, gc=False):
    """The frames of the stored events in positions (after, through], in order; the unit of fan-out."""

    after: int
    through: int
    frames: tuple[WireFrame, ...]


ReadPage = Callable[[int, int], Awaitable[FrameBatch]]
"""Reads up to `limit` stored events after a position and frames them (the store behind the hub)."""

Relay = Callable[[WireFrame], Awaitable[None]]
Head = Callable[[], Awaitable[int]]


class HubStats(msgspec.Struct):
    subscribers: int
    dropped: int
    through: int
    ring_floor: int


class Hub:
    """Frames are published once (by the feed that follows the store) and offered to every subscriber.

    The ring keeps the last `ring_size` stored frames, so a reconnect with a recent Last-Event-ID is
    served from memory; `floor` is the position up to which frames may have left the ring.
    """

    def __init__(
        self,
        read_page: ReadPage,
        *,
        start: int,
        head: Head | None = None,
        ring_size: int = 10_000,
        max_pending: int = 5_000,
        heartbeat_seconds: float = 15.0,
    ) -> None:
        self._read_page = read_page
        self._head = head
        self._through = start
        self._floor = start
        self._ring: deque[WireFrame] = deque()
        self._ring_size = ring_size
        self._max_pending = max_pending
        self._heartbeat_seconds = heartbeat_seconds
        self._subscribers: set[BufferedSubscription] = set()
        self._dropped = 0
        self._relay: Relay | None = None
        self._heartbeats: asyncio.Task[None] | None = None

    @property
    def through(self) -> int:
        return self._through

    async def head(self) -> int:
        return self._through if self._head is None else await self._head()

    def covers(self, position: int) -> bool:
        return position >= self._floor

    def stats(self) -> HubStats:
        return HubStats(len(self._subscribers), self._dropped, self._through, self._floor)

    def preload(self, batches: Sequence[FrameBatch]) -> None:
        """Starts the hub from contiguous batches (e.g. Redis's hot tail) instead of empty at `start`."""
        if self._subscribers or self._ring:
            raise RuntimeError("preload a hub before it is used")
        for previous, batch in itertools.pairwise(batches):
            if batch.after != previous.through:
                raise ValueError(f"batches are not contiguous at {previous.through} -> {batch.after}")
        if batches:
            self._floor, self._through = batches[0].after, batches[-1].through
            for batch in batches:
                self._remember(batch.frames)

    def relay_ephemeral(self, relay: Relay | None) -> None:
        """Ephemeral frames go through `relay` (e.g. Redis, to reach every worker) instead of straight out."""
        self._relay = relay

    def subscribe_from(self, position: int, frame_filter: FrameFilter) -> tuple[bytes, Subscription]:
        if not self.covers(position):
            raise ValueError(f"frames after {position} have left the ring (floor {self._floor})")
        recent: list[bytes] = []
        for frame in reversed(self._ring):
            if frame.position is None or frame.position <= position:
                break
            if frame_filter.matches(frame):
                recent.append(frame.sse)
        recent.reverse()
        subscription = BufferedSubscription(frame_filter, self._max_pending, max(position, self._through))
        self._subscribers.add(subscription)
        return b"".join(recent), subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        if isinstance(subscription, BufferedSubscription):
            self._subscribers.discard(subscription)

    async def read_stored(self, after: int, limit: int, frame_filter: FrameFilter) -> StoredPage:
        batch = await self._read_page(after, limit)
        frames = (
            batch.frames if frame_filter.passes_all else [f for f in batch.frames if frame_filter.matches(f)]
        )
        return StoredPage(join_frames(frames), batch.through, len(frames))

    def publish(self, batch: FrameBatch) -> None:
        """Fans out a batch that continues the stream; frames at or below `through` are duplicates."""
        if batch.through <= self._through:
            return
        frames: Sequence[WireFrame] = batch.frames
        if batch.after < self._through:
            frames = [f for f in frames if f.position is not None and f.position > self._through]
        after, self._through = max(batch.after, self._through), batch.through
        self._remember(frames)
        if not frames:
            return
        joined = join_frames(frames)
        for subscription in list(self._subscribers):
            subscription.offer_batch(frames, joined, after)
            self._forget_if_dropped(subscription)

    async def publish_ephemeral(self, frame: WireFrame) -> None:
        """Typing indicators and text chunks (`chat_typing`, `chat_stream`, built with `encode_frame`, no
        position): delivered to whoever is connected now, on every worker, and never stored."""
        if self._relay is not None:
            await self._relay(frame)
        else:
            self.deliver_ephemeral(frame)

    def deliver_ephemeral(self, frame: WireFrame) -> None:
        for subscription in list(self._subscribers):
            subscription.offer(frame)
            self._forget_if_dropped(subscription)

    def _forget_if_dropped(self, subscription: BufferedSubscription) -> None:
        if subscription.dropped is not None:
            self._subscribers.discard(subscription)
            self._dropped += 1

    def _remember(self, frames: Sequence[WireFrame]) -> None:
        ring = self._ring
        ring.extend(frames)
        while len(ring) > self._ring_size:
            evicted = ring.popleft().position
            if evicted is not None:
                self._floor = evicted

    async def __aenter__(self) -> Hub:
        self._heartbeats = asyncio.create_task(self._beat(), name="o3s-stream-heartbeats")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._heartbeats is not None:
            self._heartbeats.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeats
        for subscription in list(self._subscribers):
            subscription.drop("the server is shutting down")
        self._subscribers.clear()

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self._heartbeat_seconds)
            for subscription in self._subscribers:
                subscription.offer_heartbeat()
