"""Maps eventsourcing aggregate events to and from store records as typed msgspec JSON, with upcasters."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar
from uuid import UUID, uuid4

import msgspec
from eventsourcing.domain import CanMutateAggregate

from domain.records import NewEvent, RecordedEvent

AggregateEvent = CanMutateAggregate[UUID]
"""What aggregates emit (`collect_events`) and what replays them (`mutate`)."""

Upcaster = Callable[[str, dict[str, Any]], tuple[str, dict[str, Any]]]
"""Turns an old (type name, data) into a newer one; chained until a registered name comes out."""

T = TypeVar("T")

# The store keeps these in their own columns (stream_id, version), not in `data`.
_ORIGINATOR_FIELDS = frozenset({"originator_id", "originator_version"})
_MAX_UPCASTS = 64
_NO_UPCASTERS: Mapping[str, Upcaster] = MappingProxyType({})
_encoder = msgspec.json.Encoder()
_untyped = msgspec.json.Decoder(dict[str, Any])


class UnknownEventType(LookupError):
    """No registered event class (nor upcaster chain) for a type name found in the store."""

    def __init__(self, type_name: str, position: int | None = None) -> None:
        where = f" at position {position}" if position is not None else ""
        super().__init__(f"unknown event type {type_name!r}{where}")
        self.type_name = type_name
        self.position = position


class CorruptEvent(ValueError):
    """Stored data that does not decode into its event type."""

    def __init__(self, type_name: str, position: int, reason: str) -> None:
        super().__init__(f"corrupt event {type_name!r} at position {position}: {reason}")
        self.type_name = type_name
        self.position = position
        self.reason = reason


class _Shape:
    """How one event class travels: a TypedDict of its data fields, decoded typed, and a fast constructor."""

    __slots__ = ("decoder", "defaults", "event_class", "schema")

    def __init__(self, event_class: type[AggregateEvent]) -> None:
        self.event_class = event_class
        self.schema, self.defaults = _data_schema(event_class)
        self.decoder: msgspec.json.Decoder[dict[str, Any]] = msgspec.json.Decoder(self.schema)

    def build(self, state: dict[str, Any], stream_id: UUID, version: int) -> AggregateEvent:
        for field in self.defaults:
            if field.name not in state:
                factory = field.default_factory
                state[field.name] = field.default if factory is dataclasses.MISSING else factory()
        state["originator_id"] = stream_id
        state["originator_version"] = version
        # Stored data was validated when it was written, so skip __init__/__post_init__: handing the
        # decoded dict over as the instance's __dict__ is several times faster than the constructor.
        event: AggregateEvent = object.__new__(self.event_class)
        object.__setattr__(event, "__dict__", state)
        return event


def _data_schema(event_class: type[AggregateEvent]) -> tuple[type, tuple[dataclasses.Field[Any], ...]]:
    """A TypedDict of the fields kept in `data` (msgspec decodes it into a plain, typed dict)."""
    hints = typing.get_type_hints(event_class)
    fields: dict[str, Any] = {}
    defaults = []
    event_fields: tuple[dataclasses.Field[Any], ...] = dataclasses.fields(typing.cast(Any, event_class))
    for field in event_fields:
        if field.name in _ORIGINATOR_FIELDS:
            continue
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            fields[field.name] = hints[field.name]
        else:
            fields[field.name] = typing.NotRequired[hints[field.name]]
            defaults.append(field)
    # The functional TypedDict form is the only one that takes computed fields; mypy cannot follow it.
    make_typed_dict: Any = typing.TypedDict
    schema: type = make_typed_dict(f"{event_class.__qualname__}Data", fields)
    return schema, tuple(defaults)


class EventCodec:
    """Encodes aggregate events into `NewEvent`s and decodes `RecordedEvent`s back, by stable type name."""

    def __init__(
        self, types: Mapping[str, type[AggregateEvent]], upcasters: Mapping[str, Upcaster] = _NO_UPCASTERS
    ) -> None:
        self._shapes = {name: _Shape(event_class) for name, event_class in types.items()}
        self._names: dict[type[AggregateEvent], str] = {}
        for name, event_class in types.items():
            if event_class in self._names:
                known = self._names[event_class]
                raise ValueError(f"{event_class.__qualname__} registered as both {known!r} and {name!r}")
            self._names[event_class] = name
        self._upcasters = dict(upcasters)

    def type_name(self, event_class: type[AggregateEvent]) -> str:
        try:
            return self._names[event_class]
        except KeyError:
            raise UnknownEventType(event_class.__qualname__) from None

    def encode(
        self, event: AggregateEvent, metadata: msgspec.Struct | None = None, *, event_id: UUID | None = None
    ) -> NewEvent:
        state = {key: value for key, value in vars(event).items() if key not in _ORIGINATOR_FIELDS}
        return NewEvent(
            event_id=event_id or uuid4(),
            stream_id=event.originator_id,
            version=event.originator_version,
            type=self.type_name(type(event)),
            data=_encoder.encode(state),
            metadata=b"{}" if metadata is None else _encoder.encode(metadata),
        )

    def decode(self, recorded: RecordedEvent) -> AggregateEvent:
        shape = self._shapes.get(recorded.type)
        if shape is None:
            return self._decode_upcast(recorded)
        try:
            values = shape.decoder.decode(recorded.data)
        except msgspec.DecodeError as error:
            raise CorruptEvent(recorded.type, recorded.position, str(error)) from error
        return shape.build(values, recorded.stream_id, recorded.version)

    def _decode_upcast(self, recorded: RecordedEvent) -> AggregateEvent:
        name = recorded.type
        if name not in self._upcasters:
            raise UnknownEventType(name, recorded.position)
        try:
            data = _untyped.decode(recorded.data)
        except msgspec.DecodeError as error:
            raise CorruptEvent(name, recorded.position, str(error)) from error
        for _ in range(_MAX_UPCASTS):
            upcaster = self._upcasters.get(name)
            if upcaster is None:
                break
            name, data = upcaster(name, data)
            if name in self._shapes:
                break
        shape = self._shapes.get(name)
        if shape is None:
            raise UnknownEventType(f"{recorded.type} (upcast to {name})", recorded.position)
        try:
            values: dict[str, Any] = msgspec.convert(data, shape.schema)
        except msgspec.ValidationError as error:
            reason = f"after upcast to {name!r}: {error}"
            raise CorruptEvent(recorded.type, recorded.position, reason) from error
        return shape.build(values, recorded.stream_id, recorded.version)


_metadata_decoders: dict[type[Any], msgspec.json.Decoder[Any]] = {}


def decode_metadata(metadata: bytes, metadata_type: type[T]) -> T:
    """Decodes a record's metadata into the given msgspec type."""
    decoder = _metadata_decoders.get(metadata_type)
    if decoder is None:
        decoder = _metadata_decoders[metadata_type] = msgspec.json.Decoder(metadata_type)
    decoded: T = decoder.decode(metadata)
    return decoded
