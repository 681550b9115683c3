"""Stored records to domain events with their stamps; an event nobody can read stops everything."""

from __future__ import annotations

from collections.abc import Sequence

from domain.codec import EventCodec
from domain.records import RecordedEvent
from projections.folding import Decoded, ProjectionStopped
from projections.projector import Stamp

EVERY_PROJECTION = "*"


def decode(codec: EventCodec, recorded: RecordedEvent) -> Decoded:
    """The domain event with its stamp; UnknownEventType / CorruptEvent name the position."""
    stamp = Stamp(position=recorded.position, event_id=recorded.event_id, recorded_at=recorded.recorded_at)
    return Decoded(codec.decode(recorded), stamp)


def decode_batch(
    codec: EventCodec, batch: Sequence[RecordedEvent]
) -> tuple[list[Decoded], ProjectionStopped | None]:
    """The events up to the first one that does not decode, and the stop it causes (it could concern
    any projector, so it concerns all of them)."""
    decoded: list[Decoded] = []
    for recorded in batch:
        try:
            decoded.append(decode(codec, recorded))
        except Exception as error:
            reason = f"{type(error).__name__}: {error}"
            return decoded, ProjectionStopped(EVERY_PROJECTION, recorded.position, reason)
    return decoded, None
