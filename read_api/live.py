"""What the SSE endpoint needs from the live side: a filter, a subscription and the feed (the hub)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

import msgspec

from read_api.sse import WireFrame


class FrameFilter(msgspec.Struct, frozen=True):
    """A subscriber's `?types=`, `?agent=` (name or id) and `?orchestrator=` (session id); None passes all."""

    types: frozenset[str] | None = None
    agent: str | None = None
    session_id: str | None = None

    @property
    def passes_all(self) -> bool:
        return self.types is None and self.agent is None and self.session_id is None

    def matches(self, frame: WireFrame) -> bool:
        if self.types is not None and frame.type not in self.types:
            return False
        if self.agent is not None and self.agent != frame.agent_id and self.agent != frame.agent_name:
            return False
        return self.session_id is None or self.session_id == frame.session_id


PASS_ALL = FrameFilter()


class SubscriptionDropped(Exception):
    """The subscriber fell too far behind (or the hub closed); it should reconnect with Last-Event-ID."""


class StoredPage(msgspec.Struct, frozen=True):
    """Frames of the stored events in (after, through], filtered and joined; `through` counts filtered-out
    events and events with no frame too, so the next page starts after it."""

    chunk: bytes
    through: int
    frames: int


class Subscription(Protocol):
    async def next_chunk(self) -> bytes:
        """The frames (and heartbeats) queued since the last call, joined; raises SubscriptionDropped."""
        ...

    def on_overflow(self, callback: Callable[[], object]) -> None:
        """Calls `callback` (once) if the subscriber's bounded buffer overflows."""
        ...


@runtime_checkable
class LiveFeed(Protocol):
    """The hub as the SSE endpoint sees it: recent frames in memory, live frames, and the store behind."""

    @property
    def through(self) -> int:
        """The last store position the hub has fanned out."""
        ...

    async def head(self) -> int:
        """The store's newest position: where a client that gives no position starts."""
        ...

    def covers(self, position: int) -> bool:
        """True when every frame after `position` is in memory or still to come live."""
        ...

    def subscribe_from(self, position: int, frame_filter: FrameFilter) -> tuple[bytes, Subscription]:
        """Atomically: the recent frames after `position`, and a subscription to everything after them."""
        ...

    def unsubscribe(self, subscription: Subscription) -> None: ...

    async def read_stored(self, after: int, limit: int, frame_filter: FrameFilter) -> StoredPage:
        """Up to `limit` stored events after `after`, as frames (catch-up from the store)."""
        ...
