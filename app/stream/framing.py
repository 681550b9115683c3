"""StoredFraming: stored records to wire frames (decode, then `frame_for`), page by page from the store."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from app.stream.hub import FrameBatch
from domain.codec import CorruptEvent, UnknownEventType
from domain.records import RecordedEvent
from read_api.sse import WireFrame

log = logging.getLogger(__name__)

Decode = Callable[[RecordedEvent], Any]
FrameFor = Callable[[RecordedEvent, Any], WireFrame | None]


class ReadsAll(Protocol):
    async def read_all(self, from_position: int, limit: int) -> list[RecordedEvent]: ...


class StoredFraming:
    """An event this process cannot decode (a newer type, corrupt data) is skipped with a warning, so that
    one bad event never stops every stream; its position still counts as passed."""

    def __init__(self, store: ReadsAll, decode: Decode, frame_for: FrameFor) -> None:
        self._store = store
        self._decode = decode
        self._frame_for = frame_for

    def frames(self, records: Sequence[RecordedEvent]) -> tuple[WireFrame, ...]:
        framed: list[WireFrame] = []
        for recorded in records:
            try:
                event = self._decode(recorded)
            except (UnknownEventType, CorruptEvent) as error:
                log.warning("not streaming position %d: %s", recorded.position, error)
                continue
            frame = self._frame_for(recorded, event)
            if frame is not None:
                framed.append(frame)
        return tuple(framed)

    def batch(self, after: int, records: Sequence[RecordedEvent]) -> FrameBatch:
        through = records[-1].position if records else after
        return FrameBatch(after=after, through=through, frames=self.frames(records))

    async def read_page(self, after: int, limit: int) -> FrameBatch:
        return self.batch(after, await self._store.read_all(after, limit))
