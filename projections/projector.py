"""A projector: pure folds from domain events to rows of the tables it owns, registered per event type."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from datetime import datetime
from typing import Any, NamedTuple, TypeVar
from uuid import UUID

import msgspec

from projections.table import Table

E = TypeVar("E")
Row = msgspec.Struct
RowRef = tuple[Table[Any], Hashable]
"""A row a fold wants to see: its table and its key (or a Prefix of it)."""


class Prefix(tuple[Any, ...]):
    """The leading columns of a composite key: declares every row whose key starts with these values."""

    __slots__ = ()


class Stamp(msgspec.Struct, frozen=True, gc=False):
    """Where an event sits in the store: what a fold may know besides the event itself."""

    position: int
    event_id: UUID
    recorded_at: datetime


class FoldError(Exception):
    """A fold could not apply an event (a bug, or events that contradict each other)."""


class Rows:
    """The rows a fold may read: the ones its `reads` declared, as they stand after every earlier event.

    Reading an undeclared row raises, in memory as in the database, so a fold that works in one works
    in the other.
    """

    __slots__ = ("_allowed", "_prefixes", "_tables")

    def __init__(self, tables: Mapping[str, dict[Hashable, Any]]) -> None:
        self._tables = tables
        self._allowed: set[tuple[str, Hashable]] = set()
        self._prefixes: set[tuple[str, Prefix]] = set()

    def allow(self, refs: Iterable[RowRef]) -> None:
        self._allowed = set()
        self._prefixes = set()
        for table, key in refs:
            if isinstance(key, Prefix):
                self._prefixes.add((table.name, key))
            else:
                self._allowed.add((table.name, key))

    def get(self, table: Table[Any], key: Hashable) -> Any:
        if (table.name, key) not in self._allowed and not self._in_prefix(table.name, key):
            raise FoldError(f"a fold read {table.name}[{key!r}] without declaring it in `reads`")
        return self._tables[table.name].get(key)

    def _in_prefix(self, name: str, key: Hashable) -> bool:
        if not self._prefixes or not isinstance(key, tuple):
            return False
        return any(table == name and key[: len(prefix)] == prefix for table, prefix in self._prefixes)

    def require(self, table: Table[Any], key: Hashable) -> Any:
        row = self.get(table, key)
        if row is None:
            raise FoldError(f"{table.name} has no row {key!r}")
        return row


Reads = Callable[[Any], Iterable[RowRef]]
Apply = Callable[[Any, Stamp, Rows], Iterable[Row]]


class Fold(NamedTuple):
    """What one event type does to a projector's tables: the rows it reads, and the rows it writes."""

    reads: Reads
    apply: Apply


def _reads_nothing(event: Any) -> tuple[RowRef, ...]:
    return ()


class Projector:
    """Owns its read table (first) and any private lookup tables; folds are pure functions of
    (event, stamp, rows read) → rows written, so the same code serves the database and memory."""

    def __init__(self, name: str, *tables: Table[Any]) -> None:
        if not tables:
            raise ValueError(f"projector {name!r} owns no table")
        self.name = name
        self.tables = tables
        self.folds: dict[type, Fold] = {}
        self.table_of: dict[type, Table[Any]] = {table.row_type: table for table in tables}

    def __repr__(self) -> str:
        return f"Projector({self.name!r})"

    @property
    def table(self) -> Table[Any]:
        """The read table the projector exists for."""
        return self.tables[0]

    def on(
        self, event_type: type[E], reads: Callable[[E], Iterable[RowRef]] = _reads_nothing
    ) -> Callable[[Callable[[E, Stamp, Rows], Iterable[Row]]], Callable[[E, Stamp, Rows], Iterable[Row]]]:
        """Registers a fold for `event_type`: it may read the rows `reads(event)` names, and returns
        the rows to write (whole rows: inserted, or replacing the row with the same key)."""

        def register(
            apply: Callable[[E, Stamp, Rows], Iterable[Row]],
        ) -> Callable[[E, Stamp, Rows], Iterable[Row]]:
            if event_type in self.folds:
                raise ValueError(f"{self.name}: two folds for {event_type.__name__}")
            self.folds[event_type] = Fold(reads=reads, apply=apply)
            return apply

        return register

    def handles(self, event: object) -> bool:
        return type(event) in self.folds
