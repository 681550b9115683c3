"""The two shapes an event takes at the store boundary: about to be appended, and recorded."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec


class NewEvent(msgspec.Struct, frozen=True):
    """An event ready to append; `data` and `metadata` are msgspec JSON bytes."""

    event_id: UUID
    stream_id: UUID
    version: int
    type: str
    data: bytes
    metadata: bytes


class RecordedEvent(msgspec.Struct, frozen=True, gc=False):
    """An event as stored, with its global `position` (strictly increasing across all streams)."""

    position: int
    event_id: UUID
    stream_id: UUID
    version: int
    type: str
    data: bytes
    metadata: bytes
    recorded_at: datetime
