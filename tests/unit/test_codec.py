"""EventCodec: aggregate events to store records and back, typed, with upcasters and loud failures."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.codec import AggregateEvent, CorruptEvent, EventCodec, UnknownEventType, decode_metadata
from domain.records import RecordedEvent
from tests.unit.domain_builders import as_recorded
from tests.unit.widget import WIDGET_EVENTS, Colour, Part, Widget


class Meta(msgspec.Struct, frozen=True):
    correlation_id: UUID
    actor: str


def rename_v1_to_v2(name: str, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    data["name"] = data.pop("title")
    return "WidgetRenamed.v2", data


def named_v0_to_renamed_v1(name: str, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "WidgetRenamed.v1", {"timestamp": data["at"], "title": data["label"]}


UPCASTERS = {"WidgetRenamed.v1": rename_v1_to_v2, "WidgetNamed.v0": named_v0_to_renamed_v1}
codec = EventCodec(WIDGET_EVENTS, UPCASTERS)


def stored(type_name: str, data: bytes, position: int = 7) -> RecordedEvent:
    return RecordedEvent(position, uuid4(), uuid4(), 3, type_name, data, b"{}", datetime.now(UTC))


def widget_history() -> list[AggregateEvent]:
    widget = Widget(name="sprocket", colour=Colour.BLUE)
    widget.add_part(Part(label="cog", count=3))
    widget.inspect(at=datetime(2024, 5, 1, 12, tzinfo=UTC), inspector=uuid4(), score=0.5, tags=("a", "b"))
    widget.rename("gear")
    return list(widget.collect_events())


def test_encode_puts_originator_in_columns_and_the_rest_in_data() -> None:
    created = widget_history()[0]
    new = codec.encode(created)
    assert (new.stream_id, new.version, new.type) == (created.originator_id, 1, "WidgetCreated.v1")
    data = msgspec.json.decode(new.data)
    assert set(data) == {"timestamp", "originator_topic", "name", "colour"}
    assert data["colour"] == "blue"
    assert new.metadata == b"{}"


def test_round_trip_restores_types_and_replays_the_aggregate() -> None:
    history = widget_history()
    decoded = [codec.decode(as_recorded(codec.encode(event), n)) for n, event in enumerate(history, 1)]
    assert decoded == history
    assert [type(event) for event in decoded] == [type(event) for event in history]
    inspected = vars(decoded[2])
    assert isinstance(inspected["at"], datetime)
    assert isinstance(inspected["inspector"], UUID)
    assert isinstance(inspected["tags"], tuple)
    assert isinstance(vars(decoded[1])["part"], Part)
    assert vars(decoded[0])["colour"] is Colour.BLUE
    widget = None
    for event in decoded:
        widget = event.mutate(widget)
    assert isinstance(widget, Widget)
    assert (widget.name, widget.parts, widget.version) == ("gear", [Part("cog", 3)], 4)


def test_event_id_is_fresh_unless_given() -> None:
    created = widget_history()[0]
    assert codec.encode(created).event_id != codec.encode(created).event_id
    chosen = uuid4()
    assert codec.encode(created, event_id=chosen).event_id == chosen


def test_metadata_is_msgspec_json_and_decodes_typed() -> None:
    meta = Meta(correlation_id=uuid4(), actor="user")
    new = codec.encode(widget_history()[0], meta)
    assert decode_metadata(new.metadata, Meta) == meta


def test_unregistered_event_class_cannot_be_encoded() -> None:
    only_created = EventCodec({"WidgetCreated.v1": Widget.Created})
    with pytest.raises(UnknownEventType, match="Renamed"):
        only_created.encode(widget_history()[3])


def test_one_class_under_two_names_is_refused() -> None:
    with pytest.raises(ValueError, match="registered as both"):
        EventCodec({"A.v1": Widget.Renamed, "B.v1": Widget.Renamed})


def test_unknown_type_is_reported_with_its_position() -> None:
    with pytest.raises(UnknownEventType) as caught:
        codec.decode(stored("GadgetExploded.v1", b"{}", position=42))
    assert (caught.value.type_name, caught.value.position) == ("GadgetExploded.v1", 42)
    assert "position 42" in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        b"{not json",
        b'{"timestamp": "yesterday", "name": "x"}',
        b'{"timestamp": "2024-01-01T00:00:00Z"}',
        b"[]",
    ],
)
def test_corrupt_data_is_reported_with_its_position(data: bytes) -> None:
    with pytest.raises(CorruptEvent) as caught:
        codec.decode(stored("WidgetRenamed.v2", data, position=9))
    assert (caught.value.type_name, caught.value.position) == ("WidgetRenamed.v2", 9)


def test_fields_added_with_defaults_are_filled_in_for_old_data() -> None:
    old = stored("WidgetLabelled.v1", b'{"timestamp": "2024-01-01T00:00:00Z", "label": "blue"}')
    first, second = codec.decode(old), codec.decode(old)
    assert isinstance(first, Widget.Labelled)
    assert isinstance(second, Widget.Labelled)
    assert (first.label, first.weight, first.notes) == ("blue", 1, [])
    assert first.notes is not second.notes


def test_upcasters_keep_old_type_names_readable() -> None:
    old = stored("WidgetRenamed.v1", b'{"timestamp": "2024-01-01T00:00:00Z", "title": "old"}')
    event = codec.decode(old)
    assert isinstance(event, Widget.Renamed)
    assert (event.name, event.originator_id) == ("old", old.stream_id)
    assert event.timestamp == datetime(2024, 1, 1, tzinfo=UTC)


def test_upcasters_chain_through_several_versions() -> None:
    older = stored("WidgetNamed.v0", b'{"at": "2024-01-01T00:00:00Z", "label": "oldest"}')
    event = codec.decode(older)
    assert isinstance(event, Widget.Renamed)
    assert event.name == "oldest"


def test_upcast_into_an_unregistered_name_is_unknown() -> None:
    lost = EventCodec(WIDGET_EVENTS, {"X.v1": lambda name, data: ("Y.v1", data)})
    with pytest.raises(UnknownEventType, match="position 7"):
        lost.decode(stored("X.v1", b"{}"))


def test_upcast_result_that_does_not_fit_is_corrupt() -> None:
    with pytest.raises(CorruptEvent, match="upcast"):
        codec.decode(stored("WidgetRenamed.v1", b'{"timestamp": "2024-01-01T00:00:00Z", "title": 5}'))


texts = st.text(max_size=40)
moments = st.datetimes(timezones=st.just(UTC))


@given(
    name=texts,
    colour=st.sampled_from(Colour),
    parts=st.lists(st.builds(Part, label=texts, count=st.integers(-(2**63), 2**63 - 1)), max_size=4),
    at=moments,
    inspector=st.none() | st.uuids(),
    # JSON has no infinity (msgspec writes null), so events must carry finite floats.
    score=st.floats(allow_nan=False, allow_infinity=False),
    tags=st.lists(texts, max_size=3).map(tuple),
    new_name=texts,
)
def test_any_history_round_trips(
    name: str,
    colour: Colour,
    parts: list[Part],
    at: datetime,
    inspector: UUID | None,
    score: float,
    tags: tuple[str, ...],
    new_name: str,
) -> None:
    widget = Widget(name=name, colour=colour)
    for part in parts:
        widget.add_part(part)
    widget.inspect(at=at, inspector=inspector, score=score, tags=tags)
    widget.rename(new_name)
    history = list(widget.collect_events())
    decoded = [codec.decode(as_recorded(codec.encode(event), n)) for n, event in enumerate(history, 1)]
    assert decoded == history
