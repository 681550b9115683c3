"""Moves a projector's rows between PostgreSQL and the folds: load by key, upsert or COPY in batches."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import asyncpg

from projections.table import Table

if TYPE_CHECKING:
    from projections.connection import Connection


_COPY_AT_LEAST = 50
"""Below this many new rows, one upsert statement beats a savepoint plus a COPY."""


def _arrays(table: Table[Any], columns: Iterable[int]) -> str:
    return ", ".join(
        f"${n}::{'text' if table.types[i] == 'jsonb' else table.types[i]}[]"
        for n, i in enumerate(columns, start=1)
    )


def _casts(table: Table[Any]) -> str:
    return ", ".join(
        f"u.{column}::jsonb" if pg_type == "jsonb" else f"u.{column}"
        for column, pg_type in zip(table.columns, table.types, strict=True)
    )


class TableWriter:
    """The SQL for one table under a physical name (the live table, or its shadow during a rebuild)."""

    def __init__(self, table: Table[Any], physical_name: str | None = None) -> None:
        self.table = table
        self.physical_name = physical_name or table.name
        name = self.physical_name
        key_indexes = [table.columns.index(column) for column in table.key_columns]
        keys = ", ".join(table.key_columns)
        self._select = {n: self._select_by(name, key_indexes[:n]) for n in range(1, len(key_indexes) + 1)}
        updates = ", ".join(
            f"{column} = excluded.{column}" for column in table.columns if column not in table.key_columns
        )
        conflict = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        columns = ", ".join(table.columns)
        self._upsert = (
            f"INSERT INTO {name} ({columns}) SELECT {_casts(table)} "
            f"FROM unnest({_arrays(table, range(len(table.columns)))}) AS u({columns}) "
            f"ON CONFLICT ({keys}) {conflict}"
        )

    def _select_by(self, name: str, indexes: Sequence[int]) -> str:
        columns = ", ".join(self.table.columns[i] for i in indexes)
        return (
            f"SELECT {self.table.select_list('t')} FROM {name} t "
            f"JOIN unnest({_arrays(self.table, indexes)}) AS k({columns}) USING ({columns})"
        )

    async def load(self, conn: Connection, keys: Collection[Hashable]) -> dict[Hashable, Any]:
        """The rows with these keys (or under these Prefixes) that exist, by key."""
        by_length: dict[int, list[tuple[Any, ...]]] = {}
        for key in keys:
            values = self.table.key_values(key)
            by_length.setdefault(len(values), []).append(values)
        found: dict[Hashable, Any] = {}
        for length, keys_of_length in by_length.items():
            columns = list(zip(*keys_of_length, strict=True))
            for record in await conn.fetch(self._select[length], *columns):
                row = self.table.from_record(record)
                found[self.table.key_of(row)] = row
        return found

    async def upsert(self, conn: Connection, rows: Collection[Any]) -> None:
        """Inserts the rows, replacing any row with the same key."""
        if not rows:
            return
        columns = list(zip(*(self.table.to_record(row) for row in rows), strict=True))
        await conn.execute(self._upsert, *columns)

    async def write(
        self, conn: Connection, rows: Mapping[Hashable, Any], existing: Collection[Hashable]
    ) -> None:
        """Upserts the rows that existed before, and COPYs the new ones (several times faster); if a
        "new" row turns out to exist after all, the COPY's savepoint rolls back and they are upserted."""
        new = [row for key, row in rows.items() if key not in existing]
        if len(new) < _COPY_AT_LEAST:
            await self.upsert(conn, rows.values())
            return
        await self.upsert(conn, [row for key, row in rows.items() if key in existing])
        try:
            async with conn.transaction():
                records = [self.table.to_record(row) for row in new]
                await conn.copy_records_to_table(
                    self.physical_name, records=records, columns=self.table.columns
                )
        except asyncpg.UniqueViolationError:
            await self.upsert(conn, new)

    async def load_all(self, conn: Connection) -> dict[Hashable, Any]:
        """Every row, by key (for comparisons and small tables)."""
        records = await conn.fetch(f"SELECT {self.table.select_list()} FROM {self.physical_name}")
        rows = (self.table.from_record(record) for record in records)
        return {self.table.key_of(row): row for row in rows}
