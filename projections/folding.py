"""Folding a run of events through one projector: the shared core of the runner, rebuild and replay."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from projections.projector import Projector, RowRef, Rows, Stamp

TableRows = dict[Hashable, Any]
"""One table's rows by key."""


class Decoded(NamedTuple):
    """A domain event with its place in the store."""

    event: object
    stamp: Stamp


class ProjectionStopped(Exception):
    """A projector cannot go past `position`: it stops there, loudly, rather than skip the event."""

    def __init__(self, name: str, position: int, reason: str) -> None:
        super().__init__(f"projection {name!r} stopped at position {position}: {reason}")
        self.name = name
        self.position = position
        self.reason = reason


class Folded(NamedTuple):
    """The rows a run of events changed, by table; `stopped` when an event could not be applied."""

    changed: dict[str, TableRows]
    stopped: ProjectionStopped | None


def rows_to_read(projector: Projector, events: Iterable[Decoded]) -> dict[str, set[Hashable]]:
    """Keys of the rows the projector's folds will read for these events, by table name."""
    wanted: dict[str, set[Hashable]] = {table.name: set() for table in projector.tables}
    folds = projector.folds
    for event, _ in events:
        fold = folds.get(type(event))
        if fold is not None:
            for table, key in fold.reads(event):
                wanted[table.name].add(key)
    return wanted


def fold_events(projector: Projector, events: Sequence[Decoded], tables: Mapping[str, TableRows]) -> Folded:
    """Applies each event in order to `tables` (updated in place), returning what changed.

    `tables` must already hold every row `rows_to_read` names (absent keys mean: no such row). An event a
    fold cannot apply leaves the tables as they were before it and ends the run.
    """
    changed: dict[str, TableRows] = {table.name: {} for table in projector.tables}
    rows = Rows(tables)
    folds = projector.folds
    table_of = projector.table_of
    for event, stamp in events:
        fold = folds.get(type(event))
        if fold is None:
            continue
        try:
            refs: list[RowRef] = list(fold.reads(event))
            rows.allow(refs)
            writes = [(table_of[type(row)], row) for row in fold.apply(event, stamp, rows)]
            keyed = [(table.name, table.key_of(row), row) for table, row in writes]
        except Exception as error:
            reason = f"{type(event).__name__}: {type(error).__name__}: {error}"
            return Folded(changed, ProjectionStopped(projector.name, stamp.position, reason))
        for name, key, row in keyed:
            tables[name][key] = row
            changed[name][key] = row
    return Folded(changed, None)
