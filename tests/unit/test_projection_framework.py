"""The projection framework with a toy projector: declared reads, prefixes, loud stops, column types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import msgspec
import pytest

from projections.folding import Decoded, fold_events
from projections.projector import Prefix, Projector, RowRef, Rows, Stamp
from projections.table import Table


class Tick(msgspec.Struct, frozen=True):
    counter: str
    day: dt.date
    sneaky: bool = False


class Count(msgspec.Struct, frozen=True, kw_only=True):
    counter: str
    day: dt.date
    ticks: int
    position: int


COUNTS = Table("counts", Count, key=["counter", "day"])
toy = Projector("toy", COUNTS)


def _today_and_yesterday(event: Tick) -> list[RowRef]:
    return [(COUNTS, Prefix((event.counter,)))]


@toy.on(Tick, reads=_today_and_yesterday)
def _tick(event: Tick, at: Stamp, rows: Rows) -> Iterator[Count]:
    if event.sneaky:
        rows.get(COUNTS, ("other", event.day))
    row: Count | None = rows.get(COUNTS, (event.counter, event.day))
    ticks = 1 if row is None else row.ticks + 1
    yield Count(counter=event.counter, day=event.day, ticks=ticks, position=at.position)


def stamped(events: list[Tick]) -> list[Decoded]:
    now = dt.datetime.now(dt.UTC)
    return [Decoded(event, Stamp(n, uuid4(), now)) for n, event in enumerate(events, start=1)]


def test_a_prefix_declares_every_row_under_it() -> None:
    day = dt.date(2025, 1, 1)
    tables: dict[str, dict[Any, Any]] = {"counts": {}}
    folded = fold_events(toy, stamped([Tick("a", day), Tick("a", day), Tick("b", day)]), tables)
    assert folded.stopped is None
    assert {key: row.ticks for key, row in tables["counts"].items()} == {("a", day): 2, ("b", day): 1}
    assert folded.changed["counts"][("a", day)].position == 2


def test_reading_an_undeclared_row_stops_the_projector_before_that_event() -> None:
    day = dt.date(2025, 1, 1)
    tables: dict[str, dict[Any, Any]] = {"counts": {}}
    folded = fold_events(toy, stamped([Tick("a", day), Tick("a", day, sneaky=True)]), tables)
    assert folded.stopped is not None
    assert folded.stopped.position == 2
    assert "without declaring it in `reads`" in folded.stopped.reason
    assert tables["counts"][("a", day)].ticks == 1


def test_columns_get_their_types_from_the_row_fields() -> None:
    class Sample(msgspec.Struct):
        id: UUID
        flag: bool
        count: int
        ratio: float
        note: str | None
        at: dt.datetime
        day: dt.date
        extra: dict[str, Any]
        tags: list[str]

    table = Table("samples", Sample, key=["id"])
    assert dict(zip(table.columns, table.types, strict=True)) == {
        "id": "uuid",
        "flag": "boolean",
        "count": "bigint",
        "ratio": "double precision",
        "note": "text",
        "at": "timestamptz",
        "day": "date",
        "extra": "jsonb",
        "tags": "jsonb",
    }
    with pytest.raises(ValueError, match="not fields"):
        Table("samples", Sample, key=["nope"])
