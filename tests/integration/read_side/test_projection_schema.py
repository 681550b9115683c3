"""The migrated read tables have exactly the columns, types and nullability of the row Structs."""

from __future__ import annotations

import typing
from typing import Any

import asyncpg

from projections.catalog import PROJECTORS
from projections.table import Table

SQL_NAMES = {"timestamptz": "timestamp with time zone"}


def nullable(table: Table[Any], column: str) -> bool:
    hint = typing.get_type_hints(table.row_type)[column]
    return type(None) in typing.get_args(hint)


async def test_every_read_table_matches_its_row_struct(fresh_pool: asyncpg.Pool) -> None:
    for projector in PROJECTORS:
        for table in projector.tables:
            records = await fresh_pool.fetch(
                """SELECT column_name, data_type, is_nullable = 'YES' AS nullable
                   FROM information_schema.columns WHERE table_name = $1""",
                table.name,
            )
            found = {record["column_name"]: (record["data_type"], record["nullable"]) for record in records}
            wanted = {
                column: (SQL_NAMES.get(pg_type, pg_type), nullable(table, column))
                for column, pg_type in zip(table.columns, table.types, strict=True)
            }
            assert found == wanted, table.name


async def test_every_projector_has_a_checkpoint_once_the_runner_starts(fresh_pool: asyncpg.Pool) -> None:
    from projections import checkpoints

    async with fresh_pool.acquire() as conn:
        await checkpoints.ensure(conn, [projector.name for projector in PROJECTORS])
        marks = await checkpoints.read(conn)
    assert sorted(marks) == sorted(projector.name for projector in PROJECTORS)
    assert {mark.position for mark in marks.values()} == {0}
