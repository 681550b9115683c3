"""The read tables in memory: the same folds as the database, for time-travel replay and for tests."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any, NamedTuple

from domain.codec import EventCodec
from domain.records import RecordedEvent
from projections.decoding import decode_batch
from projections.folding import Decoded, TableRows, fold_events
from projections.projector import Projector


class Change(NamedTuple):
    """One row an event wrote: inserted, or replacing the row with the same key."""

    table: str
    key: Hashable
    row: Any


class ProjectionState:
    """Every table of the given projectors as dicts keyed like the database; fed one event at a time."""

    def __init__(self, projectors: Sequence[Projector]) -> None:
        self.projectors = tuple(projectors)
        self.tables: dict[str, TableRows] = {
            table.name: {} for projector in self.projectors for table in projector.tables
        }
        self.position = 0

    def apply(self, decoded: Decoded) -> list[Change]:
        """Folds one event into every projector; raises ProjectionStopped when one cannot apply it."""
        if decoded.stamp.position <= self.position:
            raise ValueError(f"event at position {decoded.stamp.position} is not after {self.position}")
        changes: list[Change] = []
        for projector in self.projectors:
            if not projector.handles(decoded.event):
                continue
            folded = fold_events(projector, (decoded,), self.tables)
            if folded.stopped is not None:
                raise folded.stopped
            changes.extend(
                Change(name, key, row) for name, rows in folded.changed.items() for key, row in rows.items()
            )
        self.position = decoded.stamp.position
        return changes

    def rows(self, table: str) -> list[Any]:
        """A table's rows in key order, as `SELECT * ... ORDER BY key` returns them."""
        return [row for _, row in sorted(self.tables[table].items(), key=lambda item: _sort_key(item[0]))]


def _sort_key(key: Hashable) -> tuple[Any, ...]:
    return key if isinstance(key, tuple) else (key,)


def fold_all(
    events: Iterable[RecordedEvent], codec: EventCodec, projectors: Sequence[Projector]
) -> ProjectionState:
    """Folds stored events (e.g. one session's) into fresh in-memory tables, one projector at a time."""
    decoded, failure = decode_batch(codec, list(events))
    if failure is not None:
        raise failure
    state = ProjectionState(projectors)
    for projector in state.projectors:
        folded = fold_events(projector, [d for d in decoded if projector.handles(d.event)], state.tables)
        if folded.stopped is not None:
            raise folded.stopped
    state.position = decoded[-1].stamp.position if decoded else 0
    return state
