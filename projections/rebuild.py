"""Rebuild: replay the store from position 0 into shadow tables, then swap them in atomically."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import asyncpg
import msgspec

from domain.codec import EventCodec
from domain.records import RecordedEvent
from projections import checkpoints
from projections.batch import Target, apply_batch
from projections.decoding import decode_batch
from projections.projector import Projector

if TYPE_CHECKING:
    from projections.connection import Connection

SHADOW = "__rebuild"
REBUILD_LOCK = 7_303_987_100


class EventSource(Protocol):
    async def read_all(self, from_position: int, limit: int) -> Sequence[RecordedEvent]:
        """Up to `limit` stored events after `from_position`, in position order."""
        ...


class RebuildBusy(Exception):
    """Another rebuild holds the lock."""


class Rebuilt(msgspec.Struct, frozen=True):
    name: str
    position: int
    rows: dict[str, int]


class RebuildReport(msgspec.Struct, frozen=True):
    projections: list[Rebuilt]
    events: int
    seconds: float


def select(projectors: Sequence[Projector], names: Sequence[str] | None) -> list[Projector]:
    if not names:
        return list(projectors)
    known = {projector.name: projector for projector in projectors}
    unknown = sorted(set(names) - known.keys())
    if unknown:
        raise ValueError(f"unknown projections {unknown}; known: {sorted(known)}")
    return [known[name] for name in sorted(set(names))]


async def rebuild(
    pool: asyncpg.Pool,
    source: EventSource,
    codec: EventCodec,
    projectors: Sequence[Projector],
    names: Sequence[str] | None = None,
    *,
    chunk: int = 5000,
) -> RebuildReport:
    """Rebuilds the named projectors (all when `names` is empty) while the live runner keeps going; the
    swap happens in one transaction holding their checkpoints, after a last catch-up to the head."""
    chosen = select(projectors, names)
    targets = [Target(projector, SHADOW) for projector in chosen]
    started = time.perf_counter()
    async with pool.acquire() as guard:
        if not await guard.fetchval("SELECT pg_try_advisory_lock($1)", REBUILD_LOCK):
            raise RebuildBusy("another projection rebuild is running")
        try:
            await _create_shadows(guard, chosen)
            positions = {target.name: 0 for target in targets}
            events = await _replay(guard, source, codec, targets, positions, chunk)
            async with pool.acquire() as conn, conn.transaction():
                await checkpoints.ensure(conn, positions)
                await checkpoints.lock(conn, list(positions))
                events += await _replay(conn, source, codec, targets, positions, chunk)
                for projector in chosen:
                    await _swap(conn, projector)
                    await checkpoints.reset(conn, projector.name, positions[projector.name])
                rows = {p.name: await _count_rows(conn, p) for p in chosen}
        finally:
            await _drop_shadows(guard, chosen)
            await guard.execute("SELECT pg_advisory_unlock($1)", REBUILD_LOCK)
    rebuilt = [Rebuilt(name=p.name, position=positions[p.name], rows=rows[p.name]) for p in chosen]
    return RebuildReport(projections=rebuilt, events=events, seconds=time.perf_counter() - started)


async def _replay(
    conn: Connection,
    source: EventSource,
    codec: EventCodec,
    targets: Sequence[Target],
    positions: dict[str, int],
    chunk: int,
) -> int:
    """Applies every stored event after `positions` to the shadows, a transaction (or savepoint) per
    chunk, reading the next chunk while writing this one; returns how many events it read."""
    count = 0
    upcoming = asyncio.ensure_future(source.read_all(min(positions.values(), default=0), chunk))
    try:
        while batch := await upcoming:
            upcoming = asyncio.ensure_future(source.read_all(batch[-1].position, chunk))
            count += len(batch)
            decoded, failure = decode_batch(codec, batch)
            if failure is not None:
                raise failure
            async with conn.transaction():
                applied = await apply_batch(conn, targets, decoded, batch[-1].position, positions)
            if applied.stopped:
                raise applied.stopped[0]
            positions.update(applied.positions)
    finally:
        upcoming.cancel()
        await asyncio.gather(upcoming, return_exceptions=True)
    return count


async def _create_shadows(conn: Connection, projectors: Sequence[Projector]) -> None:
    for projector in projectors:
        for table in projector.tables:
            await conn.execute(f"DROP TABLE IF EXISTS {table.name}{SHADOW}")
            await conn.execute(f"CREATE TABLE {table.name}{SHADOW} (LIKE {table.name} INCLUDING ALL)")


async def _drop_shadows(conn: Connection, projectors: Sequence[Projector]) -> None:
    for projector in projectors:
        for table in projector.tables:
            await conn.execute(f"DROP TABLE IF EXISTS {table.name}{SHADOW}")


_INDEXES = """SELECT c.relname AS name, i.indisunique AS is_unique,
       substring(pg_get_indexdef(i.indexrelid) FROM ' USING .*$') AS method
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = $1::regclass"""


async def _swap(conn: Connection, projector: Projector) -> None:
    """Drops each live table and renames its shadow (and the shadow's indexes) to the live names."""
    for table in projector.tables:
        shadow = table.name + SHADOW
        live_names = {
            (record["is_unique"], record["method"]): record["name"]
            for record in await conn.fetch(_INDEXES, table.name)
        }
        shadow_indexes = await conn.fetch(_INDEXES, shadow)
        await conn.execute(f"DROP TABLE {table.name}")
        await conn.execute(f"ALTER TABLE {shadow} RENAME TO {table.name}")
        for record in shadow_indexes:
            live_name = live_names.get((record["is_unique"], record["method"]))
            if live_name is not None:
                await conn.execute(f'ALTER INDEX "{record["name"]}" RENAME TO "{live_name}"')


async def _count_rows(conn: Connection, projector: Projector) -> dict[str, int]:
    return {
        table.name: await conn.fetchval(f"SELECT count(*) FROM {table.name}") for table in projector.tables
    }
