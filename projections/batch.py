"""Applies one batch of events to several projectors' tables inside the caller's transaction."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

import asyncpg

from projections.connection import CONNECTION_LOST
from projections.folding import Decoded, ProjectionStopped, fold_events, rows_to_read
from projections.projector import Projector
from projections.writer import TableWriter

if TYPE_CHECKING:
    from projections.connection import Connection


class Target:
    """A projector and the physical tables it writes: its live tables, or their shadows during a rebuild."""

    def __init__(self, projector: Projector, suffix: str = "") -> None:
        self.projector = projector
        self.name = projector.name
        self.writers = {table.name: TableWriter(table, table.name + suffix) for table in projector.tables}


class Applied(NamedTuple):
    """Where each projector got to in a batch (its new checkpoint), and the ones that stopped."""

    positions: dict[str, int]
    stopped: list[ProjectionStopped]


async def apply_batch(
    conn: Connection,
    targets: Sequence[Target],
    events: Sequence[Decoded],
    end: int,
    checkpoints: Mapping[str, int],
) -> Applied:
    """Folds the events after each target's checkpoint and writes the rows it changed.

    `events` are in position order and `end` is the last position the batch covers (events of no interest
    to anyone may lie between). Each target writes under a savepoint, so one failing write stops only its
    projector. Must run inside a transaction, together with the checkpoint update.
    """
    positions = [decoded.stamp.position for decoded in events]
    advanced: dict[str, int] = {}
    stopped: list[ProjectionStopped] = []
    for target in targets:
        checkpoint = checkpoints[target.name]
        if checkpoint >= end:
            continue
        projector = target.projector
        mine = [d for d in events[bisect.bisect_right(positions, checkpoint) :] if projector.handles(d.event)]
        wanted = rows_to_read(projector, mine)
        tables = {name: await target.writers[name].load(conn, keys) for name, keys in wanted.items()}
        existing = {name: set(rows) for name, rows in tables.items()}
        folded = fold_events(projector, mine, tables)
        try:
            if any(folded.changed.values()):
                async with conn.transaction():
                    for name, rows in folded.changed.items():
                        await target.writers[name].write(conn, rows, existing[name])
        except asyncpg.PostgresError as error:
            if isinstance(error, CONNECTION_LOST):
                raise
            first = mine[0].stamp.position
            stopped.append(ProjectionStopped(target.name, first, f"writing its rows failed: {error}"))
            continue
        if folded.stopped is not None:
            stopped.append(folded.stopped)
            advanced[target.name] = folded.stopped.position - 1
        else:
            advanced[target.name] = end
    return Applied(advanced, stopped)
