"""A read table described by its row Struct: column names and PostgreSQL types come from the fields."""

from __future__ import annotations

import datetime as dt
import types
import typing
import uuid
from collections.abc import Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

import msgspec

R = TypeVar("R", bound=msgspec.Struct)

# Order matters: bool is an int, and a StrEnum is a str.
_SCALARS: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "bigint"),
    (float, "double precision"),
    (str, "text"),
    (uuid.UUID, "uuid"),
    (dt.datetime, "timestamptz"),
    (dt.date, "date"),
)
_json_encoder = msgspec.json.Encoder()
_json_decoder = msgspec.json.Decoder()


def _column_type(hint: Any) -> str:
    """The PostgreSQL type of a field: scalars map one to one, `X | None` is X (nullable), the rest jsonb."""
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(members) == 1:
            return _column_type(members[0])
        return "jsonb"
    if isinstance(hint, type):
        for python_type, pg_type in _SCALARS:
            if issubclass(hint, python_type):
                return pg_type
    return "jsonb"


class Table(Generic[R]):
    """One table: its name, its row type and its key columns; knows how rows travel to and from asyncpg."""

    def __init__(self, name: str, row_type: type[R], key: Sequence[str]) -> None:
        self.name = name
        self.row_type = row_type
        self.columns: tuple[str, ...] = row_type.__struct_fields__
        hints = typing.get_type_hints(row_type)
        self.types: tuple[str, ...] = tuple(_column_type(hints[column]) for column in self.columns)
        unknown = [column for column in key if column not in self.columns]
        if not key or unknown:
            raise ValueError(f"{name}: key columns {unknown or key!r} are not fields of {row_type.__name__}")
        self.key_columns = tuple(key)
        self._key_index = tuple(self.columns.index(column) for column in key)
        self._json = tuple(index for index, pg_type in enumerate(self.types) if pg_type == "jsonb")

    def __repr__(self) -> str:
        return f"Table({self.name!r})"

    def key_of(self, row: R) -> Hashable:
        """A single key column's value, or the tuple of the key columns' values."""
        values = msgspec.structs.astuple(row)
        if len(self._key_index) == 1:
            return values[self._key_index[0]]  # type: ignore[no-any-return]
        return tuple(values[index] for index in self._key_index)

    def key_values(self, key: Hashable) -> tuple[Any, ...]:
        return key if isinstance(key, tuple) else (key,)

    def to_record(self, row: R) -> list[Any]:
        """Column values in order, JSON columns encoded as text (cast to jsonb in SQL)."""
        values = list(msgspec.structs.astuple(row))
        for index in self._json:
            if values[index] is not None:
                values[index] = _json_encoder.encode(values[index]).decode()
        return values

    def from_record(self, record: Iterable[Any]) -> R:
        """The row from a record selected with `select_list` (JSON columns arrive as text)."""
        values = list(record)
        for index in self._json:
            if values[index] is not None:
                values[index] = _json_decoder.decode(values[index])
        return self.row_type(**dict(zip(self.columns, values, strict=True)))

    def select_list(self, table: str | None = None) -> str:
        """The column list for a SELECT whose records `from_record` understands."""
        prefix = f"{table}." if table else ""
        return ", ".join(
            f"{prefix}{column}::text" if pg_type == "jsonb" else f"{prefix}{column}"
            for column, pg_type in zip(self.columns, self.types, strict=True)
        )
