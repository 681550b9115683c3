"""Each projector's checkpoint: the last position its tables reflect, written in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import msgspec

from projections.folding import ProjectionStopped

if TYPE_CHECKING:
    from projections.connection import Connection


class Checkpoint(msgspec.Struct, frozen=True):
    """`stopped_at`/`error`: where and why the projector last stopped, until it gets past that position."""

    name: str
    position: int
    stopped_at: int | None
    error: str | None


async def ensure(conn: Connection, names: Iterable[str]) -> None:
    """Gives every projector a checkpoint row (position 0) if it has none."""
    await conn.execute(
        "INSERT INTO projection_checkpoints (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING",
        sorted(names),
    )


async def read(conn: Connection, names: Iterable[str] | None = None) -> dict[str, Checkpoint]:
    sql = "SELECT name, position, stopped_at, error FROM projection_checkpoints"
    records = await (
        conn.fetch(sql + " ORDER BY name")
        if names is None
        else conn.fetch(sql + " WHERE name = ANY($1::text[]) ORDER BY name", list(names))
    )
    return {record["name"]: Checkpoint(*record) for record in records}


async def lock(conn: Connection, names: Sequence[str]) -> dict[str, int]:
    """Locks the checkpoint rows until the transaction ends (in name order: no deadlock between runners),
    returning their positions; another runner or a rebuild swap waits here, then sees our result."""
    records = await conn.fetch(
        """SELECT name, position FROM projection_checkpoints WHERE name = ANY($1::text[])
           ORDER BY name FOR UPDATE""",
        sorted(names),
    )
    positions = {record["name"]: record["position"] for record in records}
    missing = set(names) - positions.keys()
    if missing:
        raise LookupError(f"no checkpoint row for {sorted(missing)}; call checkpoints.ensure first")
    return positions


async def advance(conn: Connection, positions: Mapping[str, int]) -> None:
    """Moves checkpoints forward (never back) and clears a past stop they have now got beyond."""
    if not positions:
        return
    names = sorted(positions)
    await conn.execute(
        """UPDATE projection_checkpoints c
           SET position = v.position,
               stopped_at = CASE WHEN v.position >= c.stopped_at THEN NULL ELSE c.stopped_at END,
               error = CASE WHEN v.position >= c.stopped_at THEN NULL ELSE c.error END,
               updated_at = now()
           FROM unnest($1::text[], $2::bigint[]) AS v(name, position)
           WHERE c.name = v.name AND c.position < v.position""",
        names,
        [positions[name] for name in names],
    )


async def record_stop(conn: Connection, stopped: ProjectionStopped) -> None:
    await conn.execute(
        "UPDATE projection_checkpoints SET stopped_at = $2, error = $3, updated_at = now() WHERE name = $1",
        stopped.name,
        stopped.position,
        stopped.reason,
    )


async def reset(conn: Connection, name: str, position: int) -> None:
    """Sets a checkpoint to exactly `position` (a rebuild swapping in tables that reflect it)."""
    await conn.execute(
        """UPDATE projection_checkpoints
           SET position = $2, stopped_at = NULL, error = NULL, updated_at = now()
           WHERE name = $1""",
        name,
        position,
    )
