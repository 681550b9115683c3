"""A small aggregate for codec tests: string annotations, enums, nested structs, UUIDs, datetimes."""

from __future__ import annotations

from dataclasses import field
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.domain import Aggregate, event

from domain.codec import AggregateEvent


class Colour(Enum):
    RED = "red"
    BLUE = "blue"


class Part(msgspec.Struct, frozen=True):
    label: str
    count: int


class Widget(Aggregate):
    @event("Created")
    def __init__(self, name: str, colour: Colour) -> None:
        self.name = name
        self.colour = colour
        self.parts: list[Part] = []
        self.inspections: list[tuple[datetime, UUID | None, float]] = []

    class PartAdded(Aggregate.Event):
        part: Part

    @event(PartAdded)
    def add_part(self, part: Part) -> None:
        self.parts.append(part)

    @event("Inspected")
    def inspect(self, at: datetime, inspector: UUID | None, score: float, tags: tuple[str, ...]) -> None:
        self.inspections.append((at, inspector, score))

    class Renamed(Aggregate.Event):
        name: str

        def apply(self, widget: Any) -> None:
            widget.name = self.name

    def rename(self, name: str) -> None:
        self.trigger_event(self.Renamed, name=name)

    class Labelled(Aggregate.Event):
        """Grew `weight` and `notes` after its first events were stored: old data lacks them."""

        label: str
        weight: int = 1
        notes: list[str] = field(default_factory=list)


# `@event("Inspected")` generates this class at runtime, out of mypy's sight.
WidgetInspected: type[AggregateEvent] = vars(Widget)["Inspected"]

WIDGET_EVENTS: dict[str, type[AggregateEvent]] = {
    "WidgetCreated.v1": Widget.Created,
    "WidgetPartAdded.v1": Widget.PartAdded,
    "WidgetInspected.v1": WidgetInspected,
    "WidgetRenamed.v2": Widget.Renamed,
    "WidgetLabelled.v1": Widget.Labelled,
}
